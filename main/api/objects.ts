// Reading and writing KubeObjects in the store: keys, serialisation, resourceVersions, owner links.
// The one place that turns objects into rows and back.
import { keyString, type ObjectKey, type Store } from '../store/store';
import type { Registry, ResolvedKind } from './registry';
import type { KubeObject, OwnerReference } from './types';
import { deepFreeze } from './watch';

export function keyOf(kind: ResolvedKind, cluster: string, namespace: string, name: string): ObjectKey {
  return { cluster, group: kind.group, kind: kind.kind, namespace: kind.namespaced ? namespace : '', name };
}

export function objectKey(kind: ResolvedKind, cluster: string, obj: KubeObject): ObjectKey {
  return keyOf(kind, cluster, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
}

const ownerUids = (o: KubeObject | undefined): string[] =>
  (o?.metadata.ownerReferences ?? []).map((r) => r.uid);

/**
 * Events are the bulk of the rows (several per pod) and rarely read again: they are not kept in the
 * cache, so memory stays with the objects that are read (SQLite answers for events).
 */
const cached = (k: ObjectKey) => !(k.kind === 'Event' && (k.group === '' || k.group === 'events.k8s.io'));

/** A cached object: its revision, and its body parsed (and frozen) on first read. */
interface Cached {
  rv: number;
  json?: string;
  obj?: KubeObject;
}

/**
 * Objects read from the store are parsed once per resourceVersion and kept frozen: reads return shared,
 * immutable objects (copy before changing one), which makes listing 10,000 objects cheap.
 *
 * Every write goes through put() and remove(), so the cache is authoritative for the keys it holds,
 * absences included: a read of a key it knows costs no SQLite round trip. A rolled-back write clears it
 * (the store tells us), as does anything else that could leave it behind the rows.
 */
function materialise(c: Cached): KubeObject {
  if (!c.obj) {
    c.obj = deepFreeze(JSON.parse(c.json!) as KubeObject);
    c.json = undefined;
  }
  return c.obj;
}

export class Objects {
  private readonly cache = new Map<string, Cached | null>();
  /** whether each namespace is there and whether it is terminating, kept current by put() and remove() */
  private readonly namespaces = new Map<string, 'active' | 'terminating' | 'missing'>();

  constructor(
    readonly store: Store,
    readonly registry: Registry,
  ) {
    store.onRollback(() => {
      this.cache.clear();
      this.namespaces.clear();
    });
  }

  get(kind: ResolvedKind, cluster: string, namespace: string, name: string): KubeObject | undefined {
    return this.getByKey(keyOf(kind, cluster, namespace, name));
  }

  getByKey(key: ObjectKey): KubeObject | undefined {
    const k = keyString(key);
    const hit = this.cache.get(k);
    if (hit !== undefined) return hit === null ? undefined : materialise(hit);
    const row = this.store.get(key);
    if (!cached(key)) return row ? deepFreeze(JSON.parse(row.body) as KubeObject) : undefined;
    if (!row) {
      this.cache.set(k, null);
      return undefined;
    }
    return this.parse(k, row.rv, row.body);
  }

  /** The object as written at rv, if that is still its cached revision (parsed now if need be). */
  parsedAt(key: ObjectKey, rv: number): KubeObject | undefined {
    const hit = this.cache.get(keyString(key));
    return hit && hit.rv === rv ? materialise(hit) : undefined;
  }

  private parse(k: string, rv: number, json: string): KubeObject {
    const entry: Cached = { rv, json };
    this.cache.set(k, entry);
    return materialise(entry);
  }

  /** Whether a namespace exists in an API space and whether it is being deleted, kept current by writes. */
  namespaceState(cluster: string, name: string): 'active' | 'terminating' | 'missing' {
    const k = `${cluster}/${name}`;
    let state = this.namespaces.get(k);
    if (state === undefined) {
      const ns = this.getByKey({ cluster, group: '', kind: 'Namespace', namespace: '', name });
      state = !ns ? 'missing' : ns.metadata.deletionTimestamp ? 'terminating' : 'active';
      this.namespaces.set(k, state);
    }
    return state;
  }

  exists(kind: ResolvedKind, cluster: string, namespace: string, name: string): boolean {
    const key = keyOf(kind, cluster, namespace, name);
    const hit = this.cache.get(keyString(key));
    return hit !== undefined ? hit !== null : this.store.exists(key);
  }

  list(kind: ResolvedKind, cluster: string, namespace?: string): KubeObject[] {
    const ns = kind.namespaced ? namespace : undefined;
    const revisions = this.store.listRevisions(cluster, kind.group, kind.kind, ns);
    const out: KubeObject[] = new Array<KubeObject>(revisions.length);
    /** positions the cache does not hold at their revision: read from the store in one go */
    let missing: number[] | undefined;
    for (let i = 0; i < revisions.length; i++) {
      const r = revisions[i]!;
      if (cached(r.key)) {
        const hit = this.cache.get(keyString(r.key));
        if (hit && hit.rv === r.rv) {
          out[i] = materialise(hit);
          continue;
        }
      }
      (missing ??= []).push(i);
    }
    if (missing) {
      const bodies = this.store.bodiesAt(missing.map((i) => revisions[i]!.rv));
      for (const i of missing) {
        const r = revisions[i]!;
        const body = bodies.get(r.rv) ?? '{}';
        out[i] = cached(r.key)
          ? this.parse(keyString(r.key), r.rv, body)
          : deepFreeze(JSON.parse(body) as KubeObject);
      }
    }
    return out;
  }

  /** Writes obj at the next resourceVersion (set on obj) and keeps owner links in step. */
  put(kind: ResolvedKind, cluster: string, obj: KubeObject, old: KubeObject | undefined): KubeObject {
    const rv = this.store.nextRv();
    obj.metadata.resourceVersion = String(rv);
    const key = objectKey(kind, cluster, obj);
    const json = JSON.stringify(obj);
    this.store.put(old ? 'MODIFIED' : 'ADDED', key, obj.metadata.uid ?? '', rv, json);
    // the written object is what a read at rv would parse: keep it (frozen) rather than parse it again
    if (cached(key)) this.cache.set(keyString(key), { rv, obj: deepFreeze(obj) });
    if (kind.group === '' && kind.kind === 'Namespace') {
      this.namespaces.set(
        `${cluster}/${key.name}`,
        obj.metadata.deletionTimestamp ? 'terminating' : 'active',
      );
    }
    const before = ownerUids(old);
    const after = ownerUids(obj);
    if (before.length || after.length) this.store.setOwners(key, before, after);
    return obj;
  }

  /** Removes obj for good; watchers get its final state at a new resourceVersion. */
  remove(kind: ResolvedKind, cluster: string, obj: KubeObject): KubeObject {
    const rv = this.store.nextRv();
    const final = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
    const key = objectKey(kind, cluster, obj);
    this.store.remove(key, rv, JSON.stringify(final));
    if (cached(key)) this.cache.set(keyString(key), null);
    if (kind.group === '' && kind.kind === 'Namespace')
      this.namespaces.set(`${cluster}/${key.name}`, 'missing');
    const before = ownerUids(obj);
    if (before.length) this.store.setOwners(key, before, []);
    return final;
  }

  /** The live object an owner reference points to, if it exists with that uid. */
  owner(
    cluster: string,
    dependentNamespace: string,
    ref: OwnerReference,
  ): { kind: ResolvedKind; obj: KubeObject } | undefined {
    const slash = ref.apiVersion.indexOf('/');
    const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
    const kind = this.registry.byKind(group, ref.kind);
    if (!kind) return undefined;
    const obj = this.get(kind, cluster, dependentNamespace, ref.name);
    return obj && obj.metadata.uid === ref.uid ? { kind, obj } : undefined;
  }

  /** Objects whose ownerReferences name this uid. */
  dependents(uid: string): { kind: ResolvedKind; obj: KubeObject }[] {
    const out: { kind: ResolvedKind; obj: KubeObject }[] = [];
    for (const key of this.store.dependents(uid)) {
      const kind = this.registry.byKind(key.group, key.kind);
      const obj = kind && this.getByKey(key);
      if (kind && obj) out.push({ kind, obj });
    }
    return out;
  }
}
