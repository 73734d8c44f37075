// The workload controllers' informer cache: committed objects of the kinds they watch, per API space and
// namespace, indexed by label (which pods carry app=web) and by selector (which ReplicaSets select
// these labels), so no reconcile lists a namespace to find what it wants. It sees what the controllers'
// informers see — committed changes — and starts from the store's state when the lab opens.
import type { ApiServer } from '../../api/server';
import {
  fromSelectorObject,
  matchesLabels,
  type LabelSelector,
  type LabelSelectorObject,
} from '../../api/selectors';
import type { KubeObject } from '../../api/types';

export interface CachedKind {
  group: string;
  kind: string;
  /** index objects by their own labels, to find what a selector selects */
  byLabels?: boolean;
  /** the selector objects of this kind select with, to find who selects given labels */
  selector?: (o: KubeObject) => LabelSelectorObject | undefined;
}

interface Index {
  def: CachedKind;
  /** cluster\0namespace → name → object */
  objects: Map<string, Map<string, KubeObject>>;
  /** cluster\0namespace\0key=value → names of objects with that label */
  labels: Map<string, Set<string>>;
  /** cluster\0namespace\0key=value (or \0*) → names of objects whose selector requires it */
  selectors: Map<string, Set<string>>;
  /** parsed selectors by cluster\0namespace\0name */
  parsed: Map<string, LabelSelector>;
}

const nsKey = (cluster: string, namespace: string) => `${cluster}\u0000${namespace}`;
const ANY = '*';

function add(m: Map<string, Set<string>>, key: string, name: string): void {
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  s.add(name);
}

function drop(m: Map<string, Set<string>>, key: string, name: string): void {
  const s = m.get(key);
  if (!s) return;
  s.delete(name);
  if (s.size === 0) m.delete(key);
}

export class InformerCache {
  private readonly indexes = new Map<string, Index>();

  constructor(
    private readonly api: ApiServer,
    kinds: readonly CachedKind[],
  ) {
    for (const def of kinds) {
      const index: Index = {
        def,
        objects: new Map(),
        labels: new Map(),
        selectors: new Map(),
        parsed: new Map(),
      };
      this.indexes.set(`${def.group}/${def.kind}`, index);
      api.hub.inform(def.group, def.kind, (type, obj, cluster) =>
        type === 'DELETED' ? this.remove(index, cluster, obj) : this.put(index, cluster, obj),
      );
      const kind = api.registry.byKind(def.group, def.kind);
      if (!kind) continue;
      for (const space of api.store.apiSpaces())
        for (const obj of api.objects.list(kind, space.name)) this.put(index, space.name, obj);
    }
  }

  get(cluster: string, group: string, kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.index(group, kind).objects.get(nsKey(cluster, namespace))?.get(name);
  }

  /** Every cached object of a kind in a namespace of an API space. */
  list(cluster: string, group: string, kind: string, namespace: string): KubeObject[] {
    return [...(this.index(group, kind).objects.get(nsKey(cluster, namespace))?.values() ?? [])];
  }

  /** Every cached object of a kind, with its API space. */
  *all(group: string, kind: string): Generator<{ cluster: string; obj: KubeObject }> {
    for (const [key, inNs] of this.index(group, kind).objects) {
      const cluster = key.slice(0, key.indexOf('\u0000'));
      for (const obj of inNs.values()) yield { cluster, obj };
    }
  }

  /** Objects (of a kind indexed byLabels) whose labels a selector matches; an empty selector matches none. */
  selectedBy(
    cluster: string,
    group: string,
    kind: string,
    namespace: string,
    selector: LabelSelectorObject | undefined,
  ): KubeObject[] {
    const reqs = fromSelectorObject(selector);
    if (reqs.length === 0) return [];
    const ix = this.index(group, kind);
    const inNs = ix.objects.get(nsKey(cluster, namespace));
    if (!inNs) return [];
    let candidates: Iterable<string> | undefined;
    for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) {
      const names = ix.labels.get(`${nsKey(cluster, namespace)}\u0000${k}=${v}`);
      if (!names) return [];
      if (!candidates || names.size < (candidates as Set<string>).size) candidates = names;
    }
    const out: KubeObject[] = [];
    for (const name of candidates ?? inNs.keys()) {
      const o = inNs.get(name);
      if (o && matchesLabels(reqs, o.metadata.labels)) out.push(o);
    }
    return out;
  }

  /** Objects (of a kind with a selector) whose non-empty selector matches these labels. */
  selecting(
    cluster: string,
    group: string,
    kind: string,
    namespace: string,
    labels: Record<string, string> | undefined,
  ): KubeObject[] {
    const ix = this.index(group, kind);
    const inNs = ix.objects.get(nsKey(cluster, namespace));
    if (!inNs) return [];
    const base = nsKey(cluster, namespace);
    const names = new Set<string>(ix.selectors.get(`${base}\u0000${ANY}`) ?? []);
    for (const [k, v] of Object.entries(labels ?? {}))
      for (const n of ix.selectors.get(`${base}\u0000${k}=${v}`) ?? []) names.add(n);
    const out: KubeObject[] = [];
    for (const name of [...names].sort()) {
      const o = inNs.get(name);
      const sel = ix.parsed.get(`${base}\u0000${name}`);
      if (o && sel && matchesLabels(sel, labels)) out.push(o);
    }
    return out;
  }

  private index(group: string, kind: string): Index {
    const ix = this.indexes.get(`${group}/${kind}`);
    if (!ix) throw new Error(`the workload cache does not hold ${kind}.${group}`);
    return ix;
  }

  private put(ix: Index, cluster: string, obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const key = nsKey(cluster, ns);
    let inNs = ix.objects.get(key);
    if (!inNs) ix.objects.set(key, (inNs = new Map()));
    const old = inNs.get(name);
    if (old && Number(old.metadata.resourceVersion) >= Number(obj.metadata.resourceVersion)) return;
    if (old) this.unindex(ix, key, old);
    inNs.set(name, obj);
    if (ix.def.byLabels)
      for (const [k, v] of Object.entries(obj.metadata.labels ?? {}))
        add(ix.labels, `${key}\u0000${k}=${v}`, name);
    const sel = ix.def.selector?.(obj);
    const reqs = fromSelectorObject(sel);
    if (reqs.length > 0) {
      ix.parsed.set(`${key}\u0000${name}`, reqs);
      const first = Object.entries(sel?.matchLabels ?? {})[0];
      add(ix.selectors, `${key}\u0000${first ? `${first[0]}=${first[1]}` : ANY}`, name);
    }
  }

  private remove(ix: Index, cluster: string, obj: KubeObject): void {
    const key = nsKey(cluster, obj.metadata.namespace ?? '');
    const inNs = ix.objects.get(key);
    const old = inNs?.get(obj.metadata.name ?? '');
    if (!inNs || !old) return;
    this.unindex(ix, key, old);
    inNs.delete(obj.metadata.name ?? '');
    if (inNs.size === 0) ix.objects.delete(key);
  }

  private unindex(ix: Index, key: string, old: KubeObject): void {
    const name = old.metadata.name ?? '';
    if (ix.def.byLabels)
      for (const [k, v] of Object.entries(old.metadata.labels ?? {}))
        drop(ix.labels, `${key}\u0000${k}=${v}`, name);
    if (ix.parsed.delete(`${key}\u0000${name}`)) {
      const first = Object.entries(ix.def.selector?.(old)?.matchLabels ?? {})[0];
      drop(ix.selectors, `${key}\u0000${first ? `${first[0]}=${first[1]}` : ANY}`, name);
    }
  }
}
