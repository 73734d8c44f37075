// The API server of the lab: every client — the in-app kubectl, the simulation's controllers, the
// HTTPS endpoint, the UI — sends requests with Kubernetes REST semantics here and gets a status code
// and a body (an object, a list, a Table or a Status). One code path for all of them.
import type { Store, StoredObject } from '../store/store';
import { allowAll, forbiddenMessage, type AdmissionPlugin, type Authorizer } from './admission';
import type { RandomSource, TimeSource } from './environment';
import {
  ApiError,
  badRequest,
  forbidden,
  methodNotAllowed,
  notFound,
  statusFailure,
  toApiError,
} from './errors';
import { fromStored, storageOf } from './conversion';
import { keyOf, Objects } from './objects';
import { applyPatch, type PatchType } from './patch';
import { containerOf, defaultLogSource, replicasPatch, scaleOf, type LogSource } from './subresources';
import { pathNotFound, toResourceRequest } from './paths';
import { servedIn, type Registry, type ResolvedKind } from './registry';
import {
  systemUser,
  type Disposable,
  type KubeObject,
  type ListObject,
  type UserInfo,
  type Verb,
  type WatchEvent,
} from './types';
import { WatchHub } from './watch';
import { listObject, page, selectorPredicate, tableOf, type Query } from './list';
import { Writer } from './writer';
import { deleteOptions, withBodyDryRun, writeOptions } from './requestOptions';

export type { Query } from './list';

export interface ResourceRequest {
  verb: Verb;
  user: UserInfo;
  /** the API space: 'supervisor' or a guest cluster's id */
  cluster: string;
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  query?: Query;
  body?: unknown;
  /** for patch: how to read the body */
  patchType?: PatchType;
  /** answer a get or list with a Table (Accept: …;as=Table) */
  table?: boolean;
  /** in-process system callers only (see WriteOptions.withStatus); no transport sets it */
  withStatus?: boolean;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  warnings?: string[];
  /** when not JSON (pod logs are text/plain) */
  contentType?: string;
}

/** A request as a transport sees it: method, path, query, body, content type and Accept. */
export interface HttpLikeRequest {
  method: string;
  path: string;
  query?: Query;
  body?: unknown;
  user: UserInfo;
  cluster: string;
  contentType?: string;
  accept?: string;
}

export interface ApiServerOptions {
  store: Store;
  registry: Registry;
  clock: TimeSource;
  random: RandomSource;
  authorizer?: Authorizer;
  admission?: AdmissionPlugin[];
}

export class ApiServer {
  readonly store: Store;
  readonly registry: Registry;
  readonly objects: Objects;
  readonly hub: WatchHub;
  readonly admission: AdmissionPlugin[];
  authorizer: Authorizer;
  /** where pod logs come from; the simulation installs its own */
  logSource: LogSource = defaultLogSource;
  private readonly writer: Writer;
  private readonly clock: TimeSource;
  /** API space → flavor */
  private readonly spaces = new Map<string, string>();

  constructor(o: ApiServerOptions) {
    this.store = o.store;
    this.registry = o.registry;
    this.clock = o.clock;
    this.authorizer = o.authorizer ?? allowAll;
    this.admission = o.admission ?? [];
    this.objects = new Objects(o.store, o.registry);
    this.writer = new Writer(this.objects, o.clock, o.random, this.admission);
    this.hub = new WatchHub(o.store, (key, rv) => this.objects.parsedAt(key, rv));
    for (const s of o.store.apiSpaces()) this.spaces.set(s.name, s.flavor);
  }

  /**
   * Opens a Kubernetes API space (the Supervisor, a guest cluster) with the namespaces every cluster
   * starts with. Idempotent.
   */
  addApiSpace(name: string, flavor: string): void {
    this.store.transaction(() => {
      this.store.addApiSpace(name, flavor);
      this.spaces.set(name, flavor);
      const nsKind = this.registry.byKind('', 'Namespace');
      if (!nsKind) return;
      for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
        if (this.objects.get(nsKind, name, '', ns)) continue;
        this.writer.create(
          nsKind,
          '',
          { metadata: { name: ns } },
          { cluster: name, user: systemUser, dryRun: false, fieldValidation: 'Strict' },
        );
      }
    });
  }

  hasApiSpace(name: string): boolean {
    return this.spaces.has(name);
  }

  /** The flavor of an API space (`supervisor`, `guest`, `vcenter`), undefined when it does not exist. */
  flavorOf(name: string): string | undefined {
    return this.spaces.get(name);
  }

  /** Closes an API space: its watches end and every object in it is removed. */
  removeApiSpace(name: string): void {
    if (!this.spaces.has(name)) return;
    this.store.transaction(() => {
      for (const kind of this.registry.all()) {
        for (const obj of this.objects.list(kind, name)) this.objects.remove(kind, name, obj);
      }
      this.store.removeApiSpace(name);
      this.spaces.delete(name);
    });
    // inside a write (a controller removing a guest cluster) the batch commits when that write ends
    if (!this.store.inWrite) this.store.flush();
    this.hub.closeSpace(name);
  }

  /**
   * Makes the API's state that of a snapshot (or of a freshly built lab): every object not there is
   * deleted, every one missing is created with its uid, every one that differs is rewritten — all as
   * writes at new resourceVersions in one transaction, so watchers and controllers see ordinary events
   * and resourceVersions never go back. Objects of kinds `keep` refuses are left as they are.
   */
  replaceState(
    spaces: readonly { name: string; flavor: string }[],
    objects: Iterable<StoredObject>,
    keep: (kind: ResolvedKind) => boolean = () => true,
  ): { created: number; updated: number; deleted: number } {
    const counts = { created: 0, updated: 0, deleted: 0 };
    const wanted = new Map<string, { kind: ResolvedKind; cluster: string; obj: KubeObject }>();
    const id = (k: { cluster: string; group: string; kind: string; namespace: string; name: string }) =>
      `${k.cluster}\u0000${k.group}\u0000${k.kind}\u0000${k.namespace}\u0000${k.name}`;
    for (const o of objects) {
      const kind = this.registry.byKind(o.key.group, o.key.kind);
      if (!kind || !keep(kind)) continue;
      wanted.set(id(o.key), { kind, cluster: o.key.cluster, obj: JSON.parse(o.body) as KubeObject });
    }
    const stripped = (o: KubeObject) =>
      JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: '' } });
    const closing: string[] = [];
    this.store.transaction(() => {
      for (const sp of spaces) {
        if (this.spaces.has(sp.name)) continue;
        this.store.addApiSpace(sp.name, sp.flavor);
        this.spaces.set(sp.name, sp.flavor);
      }
      for (const space of [...this.spaces.keys()]) {
        for (const kind of this.registry.all()) {
          if (!keep(kind)) continue;
          for (const live of this.objects.list(kind, space)) {
            const key = keyOf(kind, space, live.metadata.namespace ?? '', live.metadata.name ?? '');
            const want = wanted.get(id(key));
            if (!want || want.obj.metadata.uid !== live.metadata.uid) {
              this.objects.remove(kind, space, live);
              counts.deleted++;
              continue;
            }
            wanted.delete(id(key));
            if (stripped(want.obj) === stripped(live)) continue;
            this.objects.put(kind, space, want.obj, live);
            counts.updated++;
          }
        }
      }
      for (const w of wanted.values()) {
        this.objects.put(w.kind, w.cluster, w.obj, undefined);
        counts.created++;
      }
      for (const space of [...this.spaces.keys()]) {
        if (spaces.some((sp) => sp.name === space)) continue;
        this.store.removeApiSpace(space);
        this.spaces.delete(space);
        closing.push(space);
      }
    });
    this.store.flush();
    for (const space of closing) this.hub.closeSpace(space);
    return counts;
  }

  /** Serves one request. Never throws: failures come back as Status bodies with their codes. */
  request(r: ResourceRequest): ApiResponse {
    try {
      return this.serve(r);
    } catch (err) {
      const e = toApiError(err);
      return { status: e.code, body: e.status };
    }
  }

  /**
   * Starts a watch. On success events flow to listener until the returned watch is disposed; on
   * failure (bad request, 410 Expired, forbidden) the response says why and nothing is started.
   */
  watch(
    r: ResourceRequest,
    listener: (e: WatchEvent) => void,
  ): { watch: Disposable } | { error: ApiResponse } {
    try {
      const kind = this.kindFor(r);
      this.checkScope(kind, r);
      this.authorize(r, kind, 'watch');
      const q = r.query ?? {};
      const stored = storageOf(kind);
      const matches = selectorPredicate(stored, q.labelSelector, q.fieldSelector);
      const namespace = kind.namespaced ? r.namespace : undefined;
      const byName = r.name;
      const visible = this.authorizer.visible?.(r.user, r.cluster, stored);
      const shown = (o: KubeObject) =>
        (!byName || o.metadata.name === byName) && matches.fn(o) && (!visible || visible(o));
      const watch = this.hub.watch(
        {
          cluster: r.cluster,
          group: kind.group,
          kind: kind.kind,
          apiVersion: kind.apiVersion,
          namespace,
          matches: byName || visible ? shown : matches.fn,
          filtered: matches.filtered || Boolean(byName) || Boolean(visible),
          resourceVersion: q.resourceVersion,
          allowBookmarks: q.allowWatchBookmarks === 'true',
          sendInitialEvents: q.sendInitialEvents === 'true',
        },
        kind.conversion ? convertingListener(kind, listener) : listener,
        () => this.objects.list(stored, r.cluster, namespace).filter(shown),
      );
      return { watch };
    } catch (err) {
      const e = toApiError(err);
      return { error: { status: e.code, body: e.status } };
    }
  }

  /**
   * Serves a request given as method and path, the way the HTTPS endpoint and the shell send them.
   * Commits before answering, so nothing a caller has been told about can be lost.
   */
  handle(h: HttpLikeRequest): ApiResponse {
    let response: ApiResponse;
    try {
      response = this.request(this.toResourceRequest(h));
    } catch (err) {
      const e = toApiError(err);
      response = { status: e.code, body: e.status };
    }
    this.store.flush();
    return response;
  }

  toResourceRequest(h: HttpLikeRequest): ResourceRequest {
    return toResourceRequest(h, this.registry);
  }

  /** One watch event's object as a Table, for watches that asked for Tables (kubectl get -w). */
  watchEventTable(r: ResourceRequest, obj: KubeObject): unknown {
    const kind =
      this.registry.byResource(r.group, r.resource, r.version) ??
      this.registry.byResource(r.group, r.resource);
    if (!kind) return obj;
    return this.table(kind, [obj], r.query ?? {}, obj.metadata.resourceVersion ?? '');
  }

  /** Commits pending writes now and waits until they are on disk (see Store.flush). */
  flush(): void {
    this.store.flush();
  }

  /** Commits pending writes now, for watchers and informers, without waiting for the disk (Store.commit). */
  commit(): void {
    this.store.commit();
  }

  dispose(): void {
    this.hub.dispose();
  }

  private serve(r: ResourceRequest): ApiResponse {
    if (r.verb === 'watch') throw badRequest('watch requests are served by ApiServer.watch');
    const kind = this.kindFor(r);
    this.checkScope(kind, r);
    this.authorize(r, kind, r.verb);
    const q = r.query ?? {};
    const ns = kind.namespaced ? (r.namespace ?? '') : '';
    // objects are read and written in the stored version, and answered in the version asked for
    const stored = storageOf(kind);
    const out = (o: KubeObject): KubeObject => fromStored(kind, o);
    if (r.subresource === 'scale' || r.subresource === 'log') return this.serveSubresource(kind, r, ns, q);
    if (r.subresource === 'binding') {
      this.writer.bind(kind, ns, r.name!, r.body, writeOptions(r, q));
      return {
        status: 201,
        body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
      };
    }
    if (r.verb === 'create' && kind.virtualCreate) return this.serveVirtual(kind, r);
    switch (r.verb) {
      case 'get': {
        const found = this.objects.get(stored, r.cluster, ns, r.name!);
        if (!found)
          throw statusFailure(
            404,
            'NotFound',
            `${kind.plural}${kind.group ? `.${kind.group}` : ''} "${r.name}" not found`,
            { name: r.name, group: kind.group, kind: kind.plural },
          );
        const obj = out(found);
        if (r.table) return { status: 200, body: this.table(kind, [obj], q, String(this.store.currentRv())) };
        return { status: 200, body: obj };
      }
      case 'list':
        return { status: 200, body: this.list(kind, r, q) };
      case 'create': {
        if (r.name && r.subresource === undefined)
          throw methodNotAllowed('the server does not allow this method on the requested resource');
        const res = this.writer.create(kind, ns, r.body, writeOptions(r, q));
        return { status: 201, body: out(res.object), warnings: res.warnings };
      }
      case 'update': {
        const res = this.writer.update(kind, ns, r.name!, r.body, writeOptions(r, q));
        return { status: 200, body: out(res.object), warnings: res.warnings };
      }
      case 'patch': {
        if (r.patchType === 'apply' && !q.fieldManager) {
          throw statusFailure(
            422,
            'Invalid',
            'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
          );
        }
        const res = this.writer.patch(kind, ns, r.name!, r.patchType ?? 'merge', r.body, writeOptions(r, q));
        return { status: 200, body: out(res.object), warnings: res.warnings };
      }
      case 'delete': {
        const res = this.writer.delete(
          stored,
          ns,
          r.name!,
          deleteOptions(r.body, q),
          writeOptions(r, withBodyDryRun(q, r.body)),
        );
        // 200 whether the object is gone or only terminating (finalizers), as the API server answers
        return { status: 200, body: out(res.object) };
      }
      case 'deletecollection': {
        const d = deleteOptions(r.body, q);
        const o = writeOptions(r, withBodyDryRun(q, r.body));
        const items = this.store.write(() =>
          this.list(
            stored,
            { ...r, verb: 'list', table: false },
            { ...q, limit: undefined, continue: undefined },
          ).items.map((obj) =>
            out(this.writer.delete(stored, obj.metadata.namespace ?? '', obj.metadata.name!, d, o).object),
          ),
        );
        return { status: 200, body: listObject(kind, items, String(this.store.currentRv())) };
      }
      default:
        throw methodNotAllowed('the server does not allow this method on the requested resource');
    }
  }

  private serveSubresource(served: ResolvedKind, r: ResourceRequest, ns: string, q: Query): ApiResponse {
    // a Scale is autoscaling/v1 in every version of the kind; its replica paths are the stored version's
    const kind = storageOf(served);
    const obj = this.objects.get(kind, r.cluster, ns, r.name!);
    if (!obj) throw notFound({ group: kind.group, resource: kind.plural, name: r.name });
    if (r.subresource === 'log') {
      const tail = q.tailLines === undefined ? undefined : Number(q.tailLines);
      const text = this.logSource({
        cluster: r.cluster,
        pod: obj,
        container: containerOf(obj, q.container),
        tailLines: tail,
        previous: q.previous === 'true',
        timestamps: q.timestamps === 'true',
      });
      return { status: 200, body: text, contentType: 'text/plain' };
    }
    if (r.verb === 'get') return { status: 200, body: scaleOf(kind, obj) };
    let replicas: unknown;
    let rv: string | undefined;
    if (r.verb === 'update') {
      const b = (r.body ?? {}) as { spec?: { replicas?: unknown }; metadata?: { resourceVersion?: string } };
      replicas = b.spec?.replicas;
      rv = b.metadata?.resourceVersion;
    } else {
      const patched = applyPatch(r.patchType ?? 'merge', scaleOf(kind, obj), r.body, { type: 'object' }) as {
        spec?: { replicas?: unknown };
      };
      replicas = patched.spec?.replicas;
    }
    const res = this.writer.patch(kind, ns, r.name!, 'merge', replicasPatch(kind, r.name!, replicas, rv), {
      ...writeOptions(r, q),
      subresource: undefined,
    });
    return { status: 200, body: scaleOf(kind, res.object) };
  }

  private serveVirtual(kind: ResolvedKind, r: ResourceRequest): ApiResponse {
    const body = (r.body ?? {}) as KubeObject;
    const result = kind.virtualCreate!(
      { ...body, apiVersion: kind.apiVersion, kind: kind.kind, metadata: body.metadata ?? {} },
      {
        user: r.user,
        cluster: r.cluster,
        authorize: (a) => this.authorizer.authorize({ ...a, user: r.user, cluster: r.cluster }),
      },
    );
    return { status: 201, body: result };
  }

  private kindFor(r: ResourceRequest): ResolvedKind {
    const flavor = this.spaces.get(r.cluster);
    if (flavor === undefined) throw pathNotFound();
    const kind = this.registry.byResource(r.group, r.resource, r.version);
    if (!kind || !servedIn(kind, flavor)) throw pathNotFound();
    if (!(kind.verbs ?? []).includes(r.verb))
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    return kind;
  }

  private checkScope(kind: ResolvedKind, r: ResourceRequest): void {
    if (!kind.namespaced && r.namespace) throw pathNotFound();
    if (kind.namespaced && r.name && !r.namespace) throw pathNotFound();
    if (r.subresource !== undefined) {
      const rw = ['get', 'update', 'patch'].includes(r.verb);
      const ok =
        r.name &&
        ((r.subresource === 'status' && kind.statusSubresource && rw) ||
          (r.subresource === 'scale' && kind.scale && rw) ||
          (r.subresource === 'log' && kind.group === '' && kind.kind === 'Pod' && r.verb === 'get') ||
          (r.subresource === 'binding' && kind.group === '' && kind.kind === 'Pod' && r.verb === 'create'));
      if (!ok) throw pathNotFound();
    }
    if (['get', 'update', 'patch', 'delete'].includes(r.verb) && !r.name)
      throw methodNotAllowed('the server does not allow this method on the requested resource');
  }

  private authorize(r: ResourceRequest, kind: ResolvedKind, verb: string): void {
    const attrs = {
      user: r.user,
      verb,
      cluster: r.cluster,
      group: kind.group,
      resource: kind.plural,
      subresource: r.subresource,
      namespace: kind.namespaced ? r.namespace : undefined,
      name: r.name,
    };
    const d = this.authorizer.authorize(attrs);
    if (!d.allowed)
      throw forbidden(forbiddenMessage(attrs, d.reason), {
        group: kind.group,
        resource: kind.plural,
        name: r.name,
      });
  }

  /** A list in the version `kind` serves; selectors and paging work on the stored objects. */
  private list(kind: ResolvedKind, r: ResourceRequest, q: Query): ListObject {
    const stored = storageOf(kind);
    const matches = selectorPredicate(stored, q.labelSelector, q.fieldSelector);
    const rv = this.store.currentRv();
    let items = this.objects.list(stored, r.cluster, kind.namespaced ? r.namespace : undefined);
    if (matches.filtered) items = items.filter(matches.fn);
    const visible = this.authorizer.visible?.(r.user, r.cluster, stored);
    if (visible) items = items.filter(visible);
    const p = page(items, q, rv, this.store.compactedRv());
    const shown = kind.conversion ? p.items.map((o) => fromStored(kind, o)) : p.items;
    if (r.table) return this.table(kind, shown, q, String(rv), p.next, p.remaining) as unknown as ListObject;
    return listObject(kind, shown, String(rv), p.next, p.remaining);
  }

  private table(
    kind: ResolvedKind,
    items: KubeObject[],
    q: Query,
    rv: string,
    next?: string,
    remaining?: number,
  ) {
    return tableOf(kind, items, q, rv, this.clock.now(), next, remaining);
  }
}

/** Watch events of a stored kind as a version that converts shows them; a failed conversion ends the watch. */
function convertingListener(kind: ResolvedKind, listener: (e: WatchEvent) => void): (e: WatchEvent) => void {
  let failed = false;
  return (e) => {
    if (failed) return;
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED') return listener(e);
    let object: KubeObject;
    try {
      object = fromStored(kind, e.object as KubeObject);
    } catch (err) {
      failed = true;
      return listener({ type: 'ERROR', object: toApiError(err).status });
    }
    listener({ type: e.type, object });
  };
}

export { ApiError, keyOf };
