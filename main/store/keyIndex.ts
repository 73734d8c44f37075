// The store's key index in memory, as etcd keeps its treeIndex: for every live object, the revision that
// holds its body. Reads and existence checks answer from here without a SQLite round trip, and writes
// reach SQLite in bulk when a batch commits (Store.writeOut, bulk.ts). The objects table is the durable
// copy, read back when a lab is opened.
import type { ObjectKey } from './types';

/** A live object in a listing: where it is and the revision that holds its body. */
export interface IndexEntry {
  namespace: string;
  name: string;
  rv: number;
}

/** Names in order, built when first listed and kept in order from then on. */
class Ordered {
  /** revision by name: a number per object keeps the index small next to millions of events */
  readonly entries = new Map<string, number>();
  sorted: string[] | undefined;

  add(name: string): void {
    if (this.sorted) this.sorted.splice(lowerBound(this.sorted, name), 0, name);
  }

  delete(name: string): void {
    if (this.sorted) this.sorted.splice(lowerBound(this.sorted, name), 1);
  }

  order(): string[] {
    return (this.sorted ??= [...this.entries.keys()].sort());
  }
}

/** One kind in one API space: its namespaces (in order), each with its objects by name (in order). */
class KindIndex {
  readonly namespaces = new Map<string, Ordered>();
  sortedNamespaces: string[] | undefined;
}

/** What a write replaced, so a rolled-back write can be undone. */
interface Undo {
  kind: KindIndex;
  cluster: string;
  namespace: string;
  name: string;
  prev: number | undefined;
}

const kindKey = (cluster: string, group: string, kind: string) => `${cluster}\u0000${group}\u0000${kind}`;

export class KeyIndex {
  private readonly kinds = new Map<string, KindIndex>();
  /** objects per API space and namespace, of every kind */
  private readonly perNamespace = new Map<string, number>();
  private readonly undoLog: Undo[] = [];

  /** The revision that holds a live object's body. */
  get(key: ObjectKey): number | undefined {
    return this.kinds
      .get(kindKey(key.cluster, key.group, key.kind))
      ?.namespaces.get(key.namespace)
      ?.entries.get(key.name);
  }

  /** Sets (a revision) or removes (undefined) a key, remembering what it held until forget() or undo(). */
  set(key: ObjectKey, entry: number | undefined): void {
    const kk = kindKey(key.cluster, key.group, key.kind);
    let kind = this.kinds.get(kk);
    if (!kind) this.kinds.set(kk, (kind = new KindIndex()));
    const prev = kind.namespaces.get(key.namespace)?.entries.get(key.name);
    this.undoLog.push({ kind, cluster: key.cluster, namespace: key.namespace, name: key.name, prev });
    this.apply(kind, key.cluster, key.namespace, key.name, prev, entry);
  }

  /** How many undo records there are: a mark to undo back to. */
  mark(): number {
    return this.undoLog.length;
  }

  /** Puts back what every set() since the mark replaced, newest first. */
  undo(mark: number): void {
    for (let i = this.undoLog.length - 1; i >= mark; i--) {
      const u = this.undoLog[i]!;
      const now = u.kind.namespaces.get(u.namespace)?.entries.get(u.name);
      this.apply(u.kind, u.cluster, u.namespace, u.name, now, u.prev);
    }
    this.undoLog.length = mark;
  }

  /** The writes so far are committed: nothing can undo them any more. */
  forget(): void {
    this.undoLog.length = 0;
  }

  /** Live objects of one kind, all namespaces when namespace is undefined, in (namespace, name) order. */
  list(cluster: string, group: string, kind: string, namespace?: string): IndexEntry[] {
    const k = this.kinds.get(kindKey(cluster, group, kind));
    if (!k) return [];
    const out: IndexEntry[] = [];
    const add = (namespace: string) => {
      const ns = k.namespaces.get(namespace);
      if (ns) for (const name of ns.order()) out.push({ namespace, name, rv: ns.entries.get(name)! });
    };
    if (namespace !== undefined) add(namespace);
    else for (const ns of (k.sortedNamespaces ??= [...k.namespaces.keys()].sort())) add(ns);
    return out;
  }

  countInNamespace(cluster: string, namespace: string): number {
    return this.perNamespace.get(`${cluster}\u0000${namespace}`) ?? 0;
  }

  private apply(
    kind: KindIndex,
    cluster: string,
    namespace: string,
    name: string,
    from: number | undefined,
    to: number | undefined,
  ): void {
    let ns = kind.namespaces.get(namespace);
    if (to !== undefined) {
      if (!ns) {
        kind.namespaces.set(namespace, (ns = new Ordered()));
        kind.sortedNamespaces = undefined;
      }
      ns.entries.set(name, to);
      if (from === undefined) ns.add(name);
    } else if (ns && from !== undefined) {
      ns.entries.delete(name);
      ns.delete(name);
      if (ns.entries.size === 0) {
        kind.namespaces.delete(namespace);
        kind.sortedNamespaces = undefined;
      }
    }
    if ((from === undefined) === (to === undefined)) return;
    const key = `${cluster}\u0000${namespace}`;
    const n = (this.perNamespace.get(key) ?? 0) + (to !== undefined ? 1 : -1);
    if (n > 0) this.perNamespace.set(key, n);
    else this.perNamespace.delete(key);
  }
}

/** The first index whose key is not below key. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
