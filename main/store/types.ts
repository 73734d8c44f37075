// The store's vocabulary: keys, stored objects, changes, and the rows they come from.

export interface ObjectKey {
  cluster: string;
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface StoredObject {
  key: ObjectKey;
  uid: string;
  rv: number;
  body: string;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  rv: number;
  type: ChangeType;
  key: ObjectKey;
  body: string;
  /** the object's uid (ADDED and MODIFIED changes written in this process) */
  uid?: string;
}

export interface StoreOptions {
  /** better-sqlite3's nativeBinding option (the Electron build of the module). */
  nativeBinding?: string;
  /** How many change-log entries to keep before the oldest are compacted away. */
  changeLogLimit?: number;
  /** Commit the open batch once it holds this many writes. */
  maxBatch?: number;
}

export type CommitListener = (changes: readonly Change[]) => void;

/** A row of the objects table joined with its body (snapshot rows have the same columns). */
export interface Row {
  cluster: string;
  grp: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  rv: number;
  body: string;
}

export const rowKey = (r: Pick<Row, 'cluster' | 'grp' | 'kind' | 'namespace' | 'name'>): ObjectKey => ({
  cluster: r.cluster,
  group: r.grp,
  kind: r.kind,
  namespace: r.namespace,
  name: r.name,
});

export class ObjectExistsError extends Error {
  constructor(readonly key: ObjectKey) {
    super(`object exists: ${key.cluster}/${key.group}/${key.kind}/${key.namespace}/${key.name}`);
  }
}

/** A key as one string, ordered as the tables' primary keys order keys (names hold no NUL). */
export const keyString = (k: ObjectKey): string =>
  `${k.cluster}\u0000${k.group}\u0000${k.kind}\u0000${k.namespace}\u0000${k.name}`;
