// The write path of the API: create, update, patch and delete with Kubernetes semantics — defaulting,
// validation, admission, optimistic concurrency, generation, finalizers and deletion propagation.
// Every call runs inside one store transaction: it happens entirely or not at all.
import type { AdmissionAttributes, AdmissionPlugin, Operation } from './admission';
import type { RandomSource, TimeSource } from './environment';
import { newUid, randomSuffix, rfc3339 } from './environment';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  modifiedConflict,
  notFound,
  statusFailure,
} from './errors';
import { ObjectExistsError } from '../store/store';
import { GarbageCollector } from './gc';
import type { Objects } from './objects';
import { applyPatch, type PatchType } from './patch';
import type { ResolvedKind } from './registry';
import type { KubeObject, StatusCause, UserInfo } from './types';
import { fromStored, jsonEqual, storageOf } from './conversion';
import { decodeBody, decodeServed, type Decoded, type FieldValidation } from './decode';
import { metadataErrors, nameErrors, validateSchema } from './validation';

export type { FieldValidation } from './decode';
export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface WriteOptions {
  cluster: string;
  user: UserInfo;
  dryRun: boolean;
  fieldValidation: FieldValidation;
  subresource?: string;
  /**
   * An update that writes status along with the rest (in-process system controllers only, never from a
   * transport): a simulated kubelet's bookkeeping annotation and the pod status it goes with, in one write.
   */
  withStatus?: boolean;
}

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
  /** false when a delete left the object in place (finalizers, graceful deletion) */
  removed?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

const ref = (kind: ResolvedKind, name: string) => ({ group: kind.group, resource: kind.plural, name });
/** what a generation does not count */
const NOT_SPEC: ReadonlySet<string> = new Set(['metadata', 'status']);
const serverManaged = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
] as const;

export class Writer {
  readonly gc: GarbageCollector;

  constructor(
    private readonly objects: Objects,
    private readonly clock: TimeSource,
    private readonly random: RandomSource,
    private readonly admission: AdmissionPlugin[],
  ) {
    this.gc = new GarbageCollector(objects, (kind, cluster, obj, policy) =>
      this.deleteNow(kind, cluster, obj, { propagationPolicy: policy }),
    );
  }

  /**
   * `kind` is the version the request names: a body in a version that is not stored is decoded and
   * validated in its own version, converted, and written as the stored version. Results are in the
   * stored version (the API server converts its answers back).
   */
  create(kind: ResolvedKind, namespace: string, body: unknown, o: WriteOptions): WriteResult {
    if (kind.conversion)
      return this.converted(decodeServed(kind, body, o), o, (obj, so) =>
        this.create(storageOf(kind), namespace, obj, so),
      );
    const { obj, warnings } = decodeBody(kind, body, o);
    const m = obj.metadata;
    if (m.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    for (const f of serverManaged) delete m[f];
    this.checkNamespace(kind, obj, namespace);
    if (kind.statusSubresource) {
      delete obj.status;
      const st = kind.initialStatus?.(obj);
      if (st) obj.status = st;
    }
    return this.objects.store.write(() => {
      if (!m.name && m.generateName) m.name = this.generateName(kind, o.cluster, namespace, m.generateName);
      kind.defaults?.(obj);
      warnings.push(...this.admit('mutate', 'CREATE', kind, obj, undefined, o));
      this.validate(kind, obj, undefined);
      this.checkNamespaceActive(kind, o.cluster, namespace);
      warnings.push(...this.admit('validate', 'CREATE', kind, obj, undefined, o));
      m.uid = newUid(this.random);
      m.creationTimestamp = this.timestamp();
      kind.prepareForCreate?.(obj);
      if (kind.keepsGeneration) m.generation = 1;
      if (o.dryRun) {
        if (this.objects.exists(kind, o.cluster, namespace, m.name!)) throw alreadyExists(ref(kind, m.name!));
        return { object: obj, warnings };
      }
      try {
        return { object: this.objects.put(kind, o.cluster, obj, undefined), warnings };
      } catch (err) {
        if (err instanceof ObjectExistsError) throw alreadyExists(ref(kind, m.name!));
        throw err;
      }
    });
  }

  update(kind: ResolvedKind, namespace: string, name: string, body: unknown, o: WriteOptions): WriteResult {
    if (kind.conversion)
      return this.converted(decodeServed(kind, body, o), o, (obj, so) =>
        this.update(storageOf(kind), namespace, name, obj, so),
      );
    const { obj: incoming, warnings } = decodeBody(kind, body, o);
    if (incoming.metadata.name && incoming.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    incoming.metadata.name = name;
    this.checkNamespace(kind, incoming, namespace);
    return this.objects.store.write(() => {
      const old = this.objects.get(kind, o.cluster, namespace, name);
      if (!old) throw notFound(ref(kind, name));
      const rv = incoming.metadata.resourceVersion;
      if (!rv) {
        throw invalid(kind.kind, kind.group, name, [
          {
            field: 'metadata.resourceVersion',
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 0x0: must be specified for an update',
          },
        ]);
      }
      if (rv !== old.metadata.resourceVersion) throw modifiedConflict(ref(kind, name));
      return { ...this.commitUpdate(kind, old, incoming, o), warnings };
    });
  }

  /**
   * pods/binding: a scheduler assigns a pending pod to a node. One write sets spec.nodeName, the
   * PodScheduled condition and any annotations the Binding carries; a pod already assigned or being
   * deleted is a Conflict, as on the API server.
   */
  bind(kind: ResolvedKind, namespace: string, name: string, body: unknown, o: WriteOptions): void {
    const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : undefined) as
      | {
          metadata?: { name?: string; annotations?: Record<string, string> };
          target?: { kind?: string; name?: string };
        }
      | undefined;
    if (!b)
      throw badRequest(
        'Binding in version "v1" cannot be handled as a Binding: the request body is not an object',
      );
    if ((b.metadata?.name ?? '') !== name)
      throw badRequest('name in URL does not match name in Binding object');
    const causes: StatusCause[] = [];
    const target = b.target ?? {};
    if (target.kind && target.kind !== 'Node')
      causes.push({
        field: 'target.kind',
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${target.kind}": supported values: "Node", "<empty>"`,
      });
    if (!target.name)
      causes.push({ field: 'target.name', reason: 'FieldValueRequired', message: 'Required value' });
    if (causes.length) throw invalid('Binding', '', name, causes);
    const why = (text: string) => conflict({ group: '', resource: 'pods/binding', name }, text);
    this.objects.store.write(() => {
      const old = this.objects.get(kind, o.cluster, namespace, name);
      if (!old) throw notFound(ref(kind, name));
      const spec = (old.spec ?? {}) as { nodeName?: string };
      if (old.metadata.deletionTimestamp)
        throw why(`pod ${name} is being deleted, cannot be assigned to a host`);
      if (spec.nodeName) throw why(`pod ${name} is already assigned to node "${spec.nodeName}"`);
      const status = (old.status ?? {}) as { conditions?: { type: string; status: string }[] };
      const had = status.conditions?.find((c) => c.type === 'PodScheduled');
      const scheduled = {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime:
          had?.status === 'True'
            ? (had as { lastTransitionTime?: string }).lastTransitionTime
            : this.timestamp(),
      };
      const annotations = b.metadata?.annotations;
      const next: KubeObject = {
        ...old,
        metadata: {
          ...old.metadata,
          ...(annotations && Object.keys(annotations).length
            ? { annotations: { ...old.metadata.annotations, ...annotations } }
            : {}),
        },
        spec: { ...spec, nodeName: target.name },
        status: {
          ...status,
          conditions: [...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), scheduled],
        },
      };
      if (!o.dryRun) this.objects.put(kind, o.cluster, next, old);
    });
  }

  /** A patch applies to the object in the version the request names, then converts to the stored one. */
  patch(
    served: ResolvedKind,
    namespace: string,
    name: string,
    type: PatchType,
    patch: unknown,
    o: WriteOptions,
  ): WriteResult {
    const kind = storageOf(served);
    return this.objects.store.write(() => {
      const old = this.objects.get(kind, o.cluster, namespace, name);
      if (!old && type === 'apply') {
        const body = (patch ?? {}) as KubeObject;
        if (body.metadata?.name && body.metadata.name !== name) {
          throw badRequest(
            `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
          );
        }
        return this.create(served, namespace, { ...body, metadata: { ...(body.metadata ?? {}), name } }, o);
      }
      if (!old) throw notFound(ref(kind, name));
      const result = applyPatch(type, fromStored(served, old), patch, served.fullSchema);
      if (!result || typeof result !== 'object' || Array.isArray(result))
        throw badRequest('the patch produced something other than an object');
      // The stored object is shared and frozen and the patched one may share parts of it: decode copies.
      const { obj: patched, warnings } = served.conversion
        ? decodeServed(served, result, o)
        : decodeBody(kind, result, o);
      const wanted = patched.metadata.resourceVersion;
      if (wanted && wanted !== old.metadata.resourceVersion) throw modifiedConflict(ref(kind, name));
      patched.metadata.name = name;
      patched.metadata.resourceVersion = old.metadata.resourceVersion;
      return { ...this.commitUpdate(kind, old, patched, o), warnings };
    });
  }

  delete(
    kind: ResolvedKind,
    namespace: string,
    name: string,
    d: DeleteOptions,
    o: WriteOptions,
  ): WriteResult {
    return this.objects.store.write(() => {
      const obj = this.objects.get(kind, o.cluster, namespace, name);
      if (!obj) throw notFound(ref(kind, name));
      const pre = d.preconditions ?? {};
      if (pre.uid && pre.uid !== obj.metadata.uid) {
        throw conflict(
          ref(kind, name),
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
        );
      }
      if (pre.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
        throw conflict(
          ref(kind, name),
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
        );
      }
      this.admit('mutate', 'DELETE', kind, undefined, obj, o);
      this.admit('validate', 'DELETE', kind, undefined, obj, o);
      if (o.dryRun) return { object: obj, warnings: [], removed: !obj.metadata.finalizers?.length };
      return this.deleteNow(kind, o.cluster, obj, d);
    });
  }

  /** Deletes without admission (the garbage collector and namespace controller use it too). */
  deleteNow(kind: ResolvedKind, cluster: string, obj: KubeObject, d: DeleteOptions): WriteResult {
    const policy = d.propagationPolicy ?? 'Background';
    const m = obj.metadata;
    const finalizers = [...(m.finalizers ?? [])];
    const add = (f: string) => {
      if (!finalizers.includes(f)) finalizers.push(f);
    };
    if (policy === 'Orphan') add('orphan');
    if (policy === 'Foreground') add('foregroundDeletion');
    const isNamespace = kind.group === '' && kind.kind === 'Namespace';
    const holdsContent =
      isNamespace && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;
    if (m.deletionTimestamp) {
      // Already terminating: only a stronger propagation policy can change anything.
      if (finalizers.length === (m.finalizers ?? []).length)
        return { object: obj, warnings: [], removed: false };
    }
    if (finalizers.length === 0 && !holdsContent) {
      const final = this.objects.remove(kind, cluster, obj);
      this.gc.objectRemoved(kind, cluster, final);
      this.gc.run();
      return { object: final, warnings: [], removed: true };
    }
    const next: KubeObject = structuredClone(obj);
    next.metadata.finalizers = finalizers;
    next.metadata.deletionTimestamp ??= this.timestamp();
    next.metadata.deletionGracePeriodSeconds ??= d.gracePeriodSeconds ?? 0;
    if (isNamespace) next.status = { ...((next.status as object) ?? {}), phase: 'Terminating' };
    this.objects.put(kind, cluster, next, obj);
    this.gc.enqueue(kind, cluster, next);
    this.gc.run();
    const now = this.objects.get(kind, cluster, next.metadata.namespace ?? '', next.metadata.name!);
    return now
      ? { object: now, warnings: [], removed: false }
      : { object: next, warnings: [], removed: true };
  }

  /** Writes a body converted from another served version: its unknown fields were dealt with already. */
  private converted(
    d: Decoded,
    o: WriteOptions,
    write: (obj: KubeObject, o: WriteOptions) => WriteResult,
  ): WriteResult {
    const res = write(d.obj, { ...o, fieldValidation: 'Ignore' });
    return { ...res, warnings: [...d.warnings, ...res.warnings] };
  }

  private commitUpdate(
    kind: ResolvedKind,
    old: KubeObject,
    incoming: KubeObject,
    o: WriteOptions,
  ): Omit<WriteResult, 'warnings'> {
    const name = old.metadata.name!;
    let next: KubeObject;
    const statusOnly = o.subresource === 'status';
    if (statusOnly) {
      // The status subresource changes status only; everything else stays as stored (shared with the
      // stored object, which is frozen, so nothing below may change it in place).
      next = { ...old, metadata: { ...old.metadata }, status: incoming.status };
    } else {
      next = incoming;
      next.apiVersion = kind.apiVersion;
      next.kind = kind.kind;
      if (kind.statusSubresource && !o.withStatus) {
        if (old.status === undefined) delete next.status;
        else next.status = structuredClone(old.status);
      }
    }
    const m = next.metadata;
    for (const f of [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
      'namespace',
    ] as const) {
      if (old.metadata[f] === undefined) delete m[f];
      else (m as Record<string, unknown>)[f] = old.metadata[f];
    }
    if (o.subresource !== 'status') kind.defaults?.(next);
    this.admit('mutate', 'UPDATE', kind, next, old, o);
    this.validate(kind, next, old);
    if (old.metadata.deletionTimestamp) {
      const added = (m.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
      if (added.length) {
        throw invalid(kind.kind, kind.group, name, [
          {
            field: 'metadata.finalizers',
            reason: 'FieldValueForbidden',
            message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
          },
        ]);
      }
    }
    this.admit('validate', 'UPDATE', kind, next, old, o);
    // compared as JSON but for key order (a converter may write keys in another order than stored)
    if (kind.keepsGeneration && !statusOnly && !jsonEqual(next, old, NOT_SPEC))
      m.generation = (old.metadata.generation ?? 1) + 1;
    m.resourceVersion = old.metadata.resourceVersion;
    const unchanged = statusOnly ? jsonEqual(next.status, old.status) : jsonEqual(next, old);
    if (unchanged) return { object: old };
    if (o.dryRun) return { object: next };
    const written = this.objects.put(kind, o.cluster, next, old);
    if (m.deletionTimestamp) {
      this.gc.enqueue(kind, o.cluster, written);
      this.gc.run();
      const after = this.objects.get(kind, o.cluster, m.namespace ?? '', name);
      if (!after) return { object: written, removed: true };
    }
    return { object: written };
  }

  private checkNamespace(kind: ResolvedKind, obj: KubeObject, namespace: string): void {
    if (!kind.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = namespace;
  }

  private checkNamespaceActive(kind: ResolvedKind, cluster: string, namespace: string): void {
    if (!kind.namespaced) return;
    const state = this.objects.namespaceState(cluster, namespace);
    if (state === 'missing') throw notFound({ group: '', resource: 'namespaces', name: namespace });
    if (state === 'terminating') {
      throw forbidden(
        `${kind.plural}${kind.group ? `.${kind.group}` : ''} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { group: kind.group, resource: kind.plural },
      );
    }
  }

  private validate(kind: ResolvedKind, obj: KubeObject, old: KubeObject | undefined): void {
    const name = obj.metadata.name ?? '';
    const causes: StatusCause[] = [];
    if (!name) {
      causes.push({
        field: 'metadata.name',
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
      });
    } else if (!old) {
      causes.push(...nameErrors(name, kind.nameFormat ?? 'subdomain'));
    }
    causes.push(
      ...validateSchema(kind, obj),
      ...metadataErrors(obj),
      ...(kind.validate?.(obj, { old }) ?? []),
    );
    if (causes.length) throw invalid(kind.kind, kind.group, name, causes);
  }

  private attributes(
    op: Operation,
    kind: ResolvedKind,
    obj: KubeObject | undefined,
    old: KubeObject | undefined,
    o: WriteOptions,
  ): AdmissionAttributes {
    const m = (obj ?? old)!.metadata;
    return {
      operation: op,
      kind,
      cluster: o.cluster,
      namespace: m.namespace ?? '',
      name: m.name ?? '',
      subresource: o.subresource,
      user: o.user,
      object: obj,
      oldObject: old,
      dryRun: o.dryRun,
      warnings: [],
    };
  }

  /** Runs the admission chain: mutating plugins (before validation) or validating ones (after). */
  private admit(
    phase: 'mutate' | 'validate',
    op: Operation,
    kind: ResolvedKind,
    obj: KubeObject | undefined,
    old: KubeObject | undefined,
    o: WriteOptions,
  ): string[] {
    const attrs = this.attributes(op, kind, obj, old, o);
    for (const p of this.admission) p[phase]?.(attrs);
    return attrs.warnings ?? [];
  }

  private lastStamp = { ms: Number.NaN, text: '' };

  /** Lab time as metav1.Time; many writes share one instant on a stepped clock, so the text is reused. */
  private timestamp(): string {
    const ms = this.clock.now().getTime();
    if (ms !== this.lastStamp.ms) this.lastStamp = { ms, text: rfc3339(new Date(ms)) };
    return this.lastStamp.text;
  }

  private generateName(kind: ResolvedKind, cluster: string, namespace: string, prefix: string): string {
    const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
    for (let i = 0; i < 8; i++) {
      const name = base + randomSuffix(this.random);
      if (!this.objects.exists(kind, cluster, namespace, name)) return name;
    }
    throw statusFailure(
      409,
      'AlreadyExists',
      `${kind.plural} "${base}" already exists, the server was not able to generate a unique name for the object`,
    );
  }
}
