// The garbage collector and namespace lifecycle, run synchronously inside the transaction of the write
// that set them off, so a cascade is atomic and crash-safe. Level-triggered like the real controllers:
// each queued object is re-read and brought one step closer to gone.
//  - Background: the owner goes at once; then each dependent without another live owner is deleted.
//  - Foreground: the owner waits (finalizer foregroundDeletion) until its blocking dependents are gone.
//  - Orphan: dependents lose their owner reference (finalizer orphan), then the owner goes.
//  - A terminating Namespace deletes its contents and goes once it is empty.
import type { Objects } from './objects';
import type { ResolvedKind } from './registry';
import type { KubeObject } from './types';

type DeleteFn = (
  kind: ResolvedKind,
  cluster: string,
  obj: KubeObject,
  policy: 'Background' | 'Foreground',
) => void;

interface Item {
  kind: ResolvedKind;
  cluster: string;
  namespace: string;
  name: string;
}

const MAX_STEPS = 1_000_000;

export class GarbageCollector {
  // insertion-ordered and de-duplicated: a namespace emptied of 10,000 pods is looked at again once, not 10,000 times
  private queue = new Map<string, Item>();
  private running = false;

  constructor(
    private readonly objects: Objects,
    private readonly deleteObject: DeleteFn,
  ) {}

  enqueue(kind: ResolvedKind, cluster: string, obj: KubeObject): void {
    const item = { kind, cluster, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
    this.queue.set(
      `${cluster}\u0000${kind.group}\u0000${kind.kind}\u0000${item.namespace}\u0000${item.name}`,
      item,
    );
  }

  /** An object has just left the store: its dependents, owners and namespace may now move. */
  objectRemoved(kind: ResolvedKind, cluster: string, obj: KubeObject): void {
    const uid = obj.metadata.uid ?? '';
    for (const d of this.objects.dependents(uid)) {
      if (d.obj.metadata.deletionTimestamp) {
        this.dropOwnerRef(d.kind, cluster, d.obj, uid);
        continue;
      }
      const otherOwners = (d.obj.metadata.ownerReferences ?? []).filter(
        (r) => r.uid !== uid && this.objects.owner(cluster, d.obj.metadata.namespace ?? '', r),
      );
      if (otherOwners.length > 0) this.dropOwnerRef(d.kind, cluster, d.obj, uid);
      else this.deleteObject(d.kind, cluster, d.obj, 'Background');
    }
    for (const r of obj.metadata.ownerReferences ?? []) {
      const owner = this.objects.owner(cluster, obj.metadata.namespace ?? '', r);
      if (owner?.obj.metadata.deletionTimestamp) this.enqueue(owner.kind, cluster, owner.obj);
    }
    if (kind.namespaced && obj.metadata.namespace) {
      const nsKind = this.objects.registry.byKind('', 'Namespace');
      const ns = nsKind && this.objects.get(nsKind, cluster, '', obj.metadata.namespace);
      if (nsKind && ns?.metadata.deletionTimestamp) this.enqueue(nsKind, cluster, ns);
    }
  }

  /** Works the queue until nothing more can move. Re-entrant calls join the running loop. */
  run(): void {
    if (this.running) return;
    this.running = true;
    try {
      let steps = 0;
      while (this.queue.size > 0) {
        if (++steps > MAX_STEPS) throw new Error('garbage collector did not converge');
        const [key, item] = this.queue.entries().next().value as [string, Item];
        this.queue.delete(key);
        this.process(item);
      }
    } finally {
      this.running = false;
      this.queue.clear();
    }
  }

  private process(item: Item): void {
    const { kind, cluster } = item;
    const obj = this.objects.get(kind, cluster, item.namespace, item.name);
    if (!obj?.metadata.deletionTimestamp) return;
    const uid = obj.metadata.uid ?? '';
    let finalizers = [...(obj.metadata.finalizers ?? [])];
    let specFinalizers = ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).slice();
    const isNamespace = kind.group === '' && kind.kind === 'Namespace';

    if (finalizers.includes('orphan')) {
      for (const d of this.objects.dependents(uid)) this.dropOwnerRef(d.kind, cluster, d.obj, uid);
      finalizers = finalizers.filter((f) => f !== 'orphan');
    }
    if (finalizers.includes('foregroundDeletion')) {
      for (const d of this.objects.dependents(uid)) {
        if (!d.obj.metadata.deletionTimestamp) this.deleteObject(d.kind, cluster, d.obj, 'Foreground');
      }
      const blocking = this.objects
        .dependents(uid)
        .filter((d) =>
          (d.obj.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion),
        );
      if (blocking.length === 0) finalizers = finalizers.filter((f) => f !== 'foregroundDeletion');
    }
    if (isNamespace && specFinalizers.includes('kubernetes')) {
      const name = obj.metadata.name!;
      for (const k of this.objects.registry.all()) {
        if (!k.namespaced) continue;
        for (const child of this.objects.list(k, cluster, name)) {
          if (!child.metadata.deletionTimestamp) this.deleteObject(k, cluster, child, 'Background');
        }
      }
      if (this.objects.store.countInNamespace(cluster, name) === 0) {
        specFinalizers = specFinalizers.filter((f) => f !== 'kubernetes');
      }
    }

    const finalizersChanged = finalizers.length !== (obj.metadata.finalizers ?? []).length;
    const specChanged =
      isNamespace &&
      specFinalizers.length !== ((obj.spec as { finalizers?: string[] })?.finalizers ?? []).length;
    if (finalizers.length === 0 && (!isNamespace || specFinalizers.length === 0)) {
      const gone: KubeObject = { ...obj, metadata: { ...obj.metadata } };
      delete gone.metadata.finalizers;
      if (isNamespace) gone.spec = { ...(gone.spec as object), finalizers: [] };
      const final = this.objects.remove(kind, cluster, gone);
      this.objectRemoved(kind, cluster, final);
    } else if (finalizersChanged || specChanged) {
      const next = structuredClone(obj);
      next.metadata.finalizers = finalizers;
      if (isNamespace) (next.spec as { finalizers?: string[] }).finalizers = specFinalizers;
      this.objects.put(kind, cluster, next, obj);
    }
  }

  private dropOwnerRef(kind: ResolvedKind, cluster: string, obj: KubeObject, ownerUid: string): void {
    const refs = obj.metadata.ownerReferences ?? [];
    if (!refs.some((r) => r.uid === ownerUid)) return;
    const next = structuredClone(obj);
    next.metadata.ownerReferences = refs.filter((r) => r.uid !== ownerUid);
    if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
    this.objects.put(kind, cluster, next, obj);
  }
}
