// Reading and writing KubeObjects in the store: keys, serialisation, resourceVersions, owner links.
// The one place that turns objects into rows and back.
import type { ObjectKey, Store } from '../store/store';
import type { Registry, ResolvedKind } from './registry';
import type { KubeObject, OwnerReference } from './types';

export function keyOf(kind: ResolvedKind, cluster: string, namespace: string, name: string): ObjectKey {
  return { cluster, group: kind.group, kind: kind.kind, namespace: kind.namespaced ? namespace : '', name };
}

export function objectKey(kind: ResolvedKind, cluster: string, obj: KubeObject): ObjectKey {
  return keyOf(kind, cluster, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
}

const ownerUids = (o: KubeObject | undefined): string[] =>
  (o?.metadata.ownerReferences ?? []).map((r) => r.uid);

export class Objects {
  constructor(
    readonly store: Store,
    readonly registry: Registry,
  ) {}

  get(kind: ResolvedKind, cluster: string, namespace: string, name: string): KubeObject | undefined {
    const row = this.store.get(keyOf(kind, cluster, namespace, name));
    return row && (JSON.parse(row.body) as KubeObject);
  }

  getByKey(key: ObjectKey): KubeObject | undefined {
    const row = this.store.get(key);
    return row && (JSON.parse(row.body) as KubeObject);
  }

  list(kind: ResolvedKind, cluster: string, namespace?: string): KubeObject[] {
    const ns = kind.namespaced ? namespace : undefined;
    return this.store.list(cluster, kind.group, kind.kind, ns).map((r) => JSON.parse(r.body) as KubeObject);
  }

  /** Writes obj at the next resourceVersion (set on obj) and keeps owner links in step. */
  put(kind: ResolvedKind, cluster: string, obj: KubeObject, old: KubeObject | undefined): KubeObject {
    const rv = this.store.nextRv();
    obj.metadata.resourceVersion = String(rv);
    const key = objectKey(kind, cluster, obj);
    this.store.put(old ? 'MODIFIED' : 'ADDED', key, obj.metadata.uid ?? '', rv, JSON.stringify(obj));
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
