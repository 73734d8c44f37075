// The lab's object store: one SQLite file (WAL) holding every object of every API space, a change log
// whose sequence number is the global resourceVersion, and owner links for garbage collection.
// The store knows nothing of Kubernetes semantics; main/api gives the bytes their meaning.
//
// Laid out as etcd lays out its MVCC store: bodies live in the change log, keyed by revision, and the
// index from key to revision is held in memory (keyIndex.ts), as are the owner links. A write touches
// memory only. A committed batch is handed to the store's SQLite thread (thread.ts), which writes its
// change-log rows, index rows and owner links out in bulk, in the background, on the other core.
import { KeyIndex } from './keyIndex';
import { Snapshots } from './snapshots';
import { SqlThread, StoreFailedError, type FlatChanges, type FlatOwners, type SqlDatabase } from './thread';
import {
  keyString,
  ObjectExistsError,
  rowKey,
  type Change,
  type ChangeType,
  type CommitListener,
  type ObjectKey,
  type Row,
  type StoredObject,
  type StoreOptions,
} from './types';

export * from './types';
export { StoreFailedError, type SqlDatabase, type SqlStatement } from './thread';

/** rows per page when reading the change log or every object back */
const PAGE = 2_000;
/**
 * Committed batches the thread may have yet to write: beyond this the engine waits for the oldest, so
 * a thread slower than the engine holds it back rather than letting the backlog grow in memory.
 */
const MAX_INFLIGHT = 2;
/** revisions per call when reading many bodies back */
const BODIES_PER_CALL = 5_000;

/** Owner links in memory: dependents by owner uid, by key string; sorted when first listed. */
class OwnerIndex {
  private readonly byOwner = new Map<string, { keys: Map<string, ObjectKey>; sorted: boolean }>();

  has(uid: string, k: string): boolean {
    return this.byOwner.get(uid)?.keys.has(k) ?? false;
  }

  add(uid: string, k: string, key: ObjectKey): void {
    let e = this.byOwner.get(uid);
    if (!e) this.byOwner.set(uid, (e = { keys: new Map(), sorted: true }));
    if (e.keys.size > 0) e.sorted = false;
    e.keys.set(k, key);
  }

  delete(uid: string, k: string): void {
    const e = this.byOwner.get(uid);
    if (!e) return;
    e.keys.delete(k);
    if (e.keys.size === 0) this.byOwner.delete(uid);
  }

  /** dependents of uid in key order, as the owner_refs table orders them */
  of(uid: string): ObjectKey[] {
    const e = this.byOwner.get(uid);
    if (!e) return [];
    if (!e.sorted) {
      const entries = [...e.keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      e.keys.clear();
      for (const [k, v] of entries) e.keys.set(k, v);
      e.sorted = true;
    }
    return [...e.keys.values()].map((k) => ({ ...k }));
  }
}

/** The change with revision rv in changes (in revision order), if there is one. */
function findRv(changes: readonly Change[], rv: number): Change | undefined {
  let lo = 0;
  let hi = changes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = changes[mid]!;
    if (c.rv === rv) return c;
    if (c.rv < rv) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

function flatChanges(changes: readonly Change[], from: number, to: number): FlatChanges {
  const out: unknown[] = [];
  for (let i = from; i < to; i++) {
    const c = changes[i]!;
    const k = c.key;
    out.push(c.rv, c.type, k.cluster, k.group, k.kind, k.namespace, k.name, c.body, c.uid ?? '');
  }
  return out;
}

type OwnerOp = [add: boolean, uid: string, key: ObjectKey];

function flatOwners(ops: readonly OwnerOp[], from: number, to: number): FlatOwners {
  const out: unknown[] = [];
  for (let i = from; i < to; i++) {
    const [add, uid, k] = ops[i]!;
    out.push(add ? 1 : 0, uid, k.cluster, k.group, k.kind, k.namespace, k.name);
  }
  return out;
}

const SQL = {
  bodyAt: 'SELECT body FROM changes WHERE rv=?',
  bodiesAt: 'SELECT rv, body FROM changes WHERE rv IN (SELECT value FROM json_each(?))',
  metaGet: 'SELECT value FROM meta WHERE key=?',
  metaSet: 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value=excluded.value',
  spaceAdd: 'INSERT OR IGNORE INTO api_spaces (name, flavor) VALUES (?, ?)',
  spaceDel: 'DELETE FROM api_spaces WHERE name=?',
  spaceList: 'SELECT name, flavor FROM api_spaces ORDER BY name',
};

export class Store {
  private readonly thread: SqlThread;
  /** the lab database, for tables the store does not own (workspace, lab progress, snapshots) */
  readonly db: SqlDatabase;
  private rv: number;
  private compacted: number;
  /**
   * Revisions no live object points to any more (superseded, or a deletion's own row), not yet compacted
   * away: compaction deletes these rather than scanning the log against every live object. The list
   * starts empty in each process, so the first compaction after opening scans once.
   */
  private garbage: number[] = [];
  private fullCompactionDue = true;
  private depth = 0;
  /** a batch is open: writes since the last commit */
  private batchOpen = false;
  /** the open batch holds a SQL transaction on the thread (it ran SQL of its own) */
  private sqlTx = false;
  private flushScheduled = false;
  private readonly maxBatch: number;
  private writesSinceCompactCheck = 0;
  private pending: Change[] = [];
  /** how many of the pending changes are written into the batch's SQL transaction already */
  private persisted = 0;
  /** owner links added (true) and dropped in the open batch, in order, and how many are written out */
  private ownerOps: OwnerOp[] = [];
  private ownersPersisted = 0;
  /** sequence numbers of the committed batches the thread has not written out yet, oldest first */
  private inflight: number[] = [];
  /** where the open batch began: what a failed commit goes back to */
  private batchStart!: ReturnType<Store['marks']>;
  private readonly index = new KeyIndex();
  private readonly owners = new OwnerIndex();
  /** named copies of every object, kept in the lab file */
  readonly snapshots: Snapshots;
  private readonly listeners = new Set<CommitListener>();
  private readonly rollbackListeners = new Set<() => void>();
  private readonly changeLogLimit: number;
  /** per open write, outermost first: whether it holds a SQL SAVEPOINT */
  private readonly savepoints: boolean[] = [];

  constructor(
    readonly path: string,
    options: StoreOptions = {},
  ) {
    this.thread = new SqlThread(path, options.nativeBinding);
    this.db = this.thread;
    this.changeLogLimit = options.changeLogLimit ?? 200_000;
    this.maxBatch = options.maxBatch ?? 1_000;
    this.snapshots = new Snapshots(this);
    try {
      for (const r of this.thread.call(
        'all',
        'SELECT cluster, grp, kind, namespace, name, rv FROM objects',
        [],
      ) as Row[])
        this.index.set(rowKey(r), r.rv);
      this.index.forget();
      for (const r of this.thread.call('all', 'SELECT * FROM owner_refs', []) as (Row & {
        owner_uid: string;
      })[]) {
        const key = rowKey(r);
        this.owners.add(r.owner_uid, keyString(key), key);
      }
      const maxRow = this.thread.call('get', 'SELECT max(rv) AS rv FROM changes', []) as {
        rv: number | null;
      };
      this.compacted = Number(this.getMeta('compactedRv') ?? 0);
      this.rv = Math.max(maxRow.rv ?? 0, Number(this.getMeta('rv') ?? 0), this.compacted);
    } catch (err) {
      this.thread.close();
      throw err;
    }
  }

  /** The newest resourceVersion handed out. */
  currentRv(): number {
    return this.rv;
  }

  /** Change-log entries at or below this resourceVersion are gone. */
  compactedRv(): number {
    return this.compacted;
  }

  /**
   * Runs fn as one atomic write: on a throw nothing of it remains, resourceVersions included. Writes are
   * group-committed, as etcd's backend does: the batch that holds them commits at the end of the current
   * turn of the event loop (a microtask), after maxBatch writes, or at commit() or flush(). Listeners see
   * changes once committed; they are on disk once flush() returns. Anything that tells the outside world
   * a write happened (an HTTP response, terminal output) must call flush() first.
   *
   * fn may run SQL of its own on store.db (files, lab progress): it runs inside a SAVEPOINT, and the batch
   * then commits in one SQL transaction with it.
   */
  transaction<T>(fn: () => T): T {
    return this.atomically(fn, true);
  }

  /**
   * transaction() for writes of objects only (put, remove, setOwners and reads), the API's write path:
   * object writes live in memory until the batch is handed over, so a SAVEPOINT is taken only if SQL does
   * run inside (a nested transaction(), a snapshot), which spares most writes any SQL at all.
   */
  write<T>(fn: () => T): T {
    return this.atomically(fn, false);
  }

  private atomically<T>(fn: () => T, sql: boolean): T {
    if (!this.thread.open) throw new TypeError('The database connection is not open');
    if (!this.batchOpen) {
      this.batchOpen = true;
      this.batchStart = this.marks();
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        queueMicrotask(() => {
          this.flushScheduled = false;
          try {
            if (this.thread.open && this.depth === 0) this.commit();
          } catch (err) {
            // a failed thread stays failed: the next flush(), the one that answers someone, says so
            if (!(err instanceof StoreFailedError)) throw err;
          }
        });
      }
    }
    const before = this.marks();
    const level = this.savepoints.length;
    this.depth++;
    this.savepoints.push(false);
    let result: T;
    try {
      if (sql) this.takeSavepoints();
      result = fn();
      if (this.savepoints[level]) this.thread.exec('RELEASE w');
    } catch (err) {
      if (this.savepoints[level] && this.thread.open) {
        this.thread.exec('ROLLBACK TO w');
        this.thread.exec('RELEASE w');
      }
      this.restore(before);
      throw err;
    } finally {
      this.savepoints.length = level;
      this.depth--;
    }
    if (this.depth === 0 && this.pending.length >= this.maxBatch) this.commit();
    return result;
  }

  /** Where the in-memory state of the open batch stands: what a failed write or commit goes back to. */
  private marks() {
    return {
      rv: this.rv,
      pending: this.pending.length,
      persisted: this.persisted,
      owners: this.ownerOps.length,
      ownersPersisted: this.ownersPersisted,
      index: this.index.mark(),
      garbage: this.garbage.length,
    };
  }

  private restore(m: ReturnType<Store['marks']>): void {
    // resourceVersions handed out since will be handed out again: anyone caching by resourceVersion
    // must forget what it learnt since.
    if (this.rv !== m.rv) for (const l of this.rollbackListeners) l();
    this.rv = m.rv;
    this.index.undo(m.index);
    this.pending.length = m.pending;
    // rows written out since went with the savepoint (or the batch) they were written in
    this.persisted = m.persisted;
    for (let i = this.ownerOps.length - 1; i >= m.owners; i--) {
      const [add, uid, key] = this.ownerOps[i]!;
      if (add) this.owners.delete(uid, keyString(key));
      else this.owners.add(uid, keyString(key), key);
    }
    this.ownerOps.length = m.owners;
    this.ownersPersisted = m.ownersPersisted;
    // compaction replaces the list with a shorter one: never lengthen it
    this.garbage.length = Math.min(this.garbage.length, m.garbage);
  }

  /**
   * SQL is about to run inside the open writes: the batch takes its SQL transaction if it has none yet,
   * and each write that holds no SAVEPOINT takes one now, outermost first. None of them has run SQL
   * since it began (it would hold one), so now is as good as its start.
   */
  private takeSavepoints(): void {
    if (!this.sqlTx) {
      this.thread.exec('BEGIN IMMEDIATE');
      this.sqlTx = true;
    }
    for (let i = 0; i < this.savepoints.length; i++) {
      if (this.savepoints[i]) continue;
      this.thread.exec('SAVEPOINT w');
      this.savepoints[i] = true;
    }
  }

  /** Whether a write (transaction()) is running: commit() and flush() must wait until it ends. */
  get inWrite(): boolean {
    return this.depth > 0;
  }

  /**
   * Commits the open batch, if any: listeners see it now, and the store's thread writes it to disk in
   * the background (flush() waits for that). A batch that ran SQL of its own commits on the thread
   * before this returns, and a failure takes all of it back, as a rolled-back write is taken back.
   */
  commit(): void {
    if (this.depth > 0) throw new Error('commit() inside a write');
    if (!this.batchOpen) return;
    if (this.sqlTx) {
      try {
        this.writeOut();
        this.thread.exec('COMMIT');
      } catch (err) {
        try {
          if (this.thread.open && this.thread.inTransaction) this.thread.exec('ROLLBACK');
        } catch {
          // the thread has failed: the error that brought us here says so
        }
        this.sqlTx = false;
        this.batchOpen = false;
        this.restore(this.batchStart);
        // compaction may have dropped revisions from its list that the rollback brought back: scan next time
        this.fullCompactionDue = true;
        throw err;
      }
      this.sqlTx = false;
    } else if (this.pending.length > 0 || this.ownerOps.length > 0) {
      const seq = this.thread.commitBatch(
        flatChanges(this.pending, 0, this.pending.length),
        flatOwners(this.ownerOps, 0, this.ownerOps.length),
      );
      this.inflight.push(seq);
    }
    this.batchOpen = false;
    this.index.forget();
    const committed = this.pending;
    this.pending = [];
    this.persisted = 0;
    this.ownerOps = [];
    this.ownersPersisted = 0;
    if (committed.length > 0) {
      this.maybeCompact(committed.length);
      for (const l of this.listeners) l(committed);
    }
    this.pruneInflight();
    if (this.inflight.length > MAX_INFLIGHT) this.thread.waitFor(this.inflight[0]!);
  }

  /** Commits the open batch, if any, and waits until every committed write is on disk. */
  flush(): void {
    if (this.depth > 0) throw new Error('flush() inside a write');
    this.commit();
    this.thread.sync();
    this.inflight = [];
  }

  onCommit(listener: CommitListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Called when a write that had taken resourceVersions is rolled back. */
  onRollback(listener: () => void): { dispose(): void } {
    this.rollbackListeners.add(listener);
    return { dispose: () => this.rollbackListeners.delete(listener) };
  }

  /** A live object's current revision and body. */
  get(key: ObjectKey): Omit<StoredObject, 'uid'> | undefined {
    const rv = this.index.get(key);
    return rv === undefined ? undefined : { key: { ...key }, rv, body: this.bodyAt(rv)! };
  }

  /**
   * Keys, uids and revisions of one kind, all namespaces when namespace is undefined, in (namespace,
   * name) order, without bodies: for readers that cache bodies by revision (see bodyAt).
   */
  listRevisions(
    cluster: string,
    group: string,
    kind: string,
    namespace?: string,
  ): Omit<StoredObject, 'body' | 'uid'>[] {
    return this.index.list(cluster, group, kind, namespace).map((e) => ({
      key: { cluster, group, kind, namespace: e.namespace, name: e.name },
      rv: e.rv,
    }));
  }

  /** The body written at a revision (a live object's current revision is never compacted away). */
  bodyAt(rv: number): string | undefined {
    // the open batch (in revision order), else the lab file: the thread answers after writing out the
    // batches handed to it before, so committed bodies are not kept here meanwhile (they die young)
    const p = this.pending;
    if (p.length > 0 && rv >= p[0]!.rv) return findRv(p, rv)?.body;
    return (this.thread.call('get', SQL.bodyAt, [rv]) as { body: string } | undefined)?.body;
  }

  /**
   * The bodies written at many revisions, in one call to the thread per few thousand (a cold list, a
   * lab opening its informers): revisions with no body are left out.
   */
  bodiesAt(rvs: readonly number[]): Map<number, string> {
    const out = new Map<number, string>();
    const p = this.pending;
    const fromDisk: number[] = [];
    for (const rv of rvs) {
      if (p.length > 0 && rv >= p[0]!.rv) {
        const c = findRv(p, rv);
        if (c) out.set(rv, c.body);
      } else fromDisk.push(rv);
    }
    for (let i = 0; i < fromDisk.length; i += BODIES_PER_CALL) {
      const rows = this.thread.call('all', SQL.bodiesAt, [
        JSON.stringify(fromDisk.slice(i, i + BODIES_PER_CALL)),
      ]) as { rv: number; body: string }[];
      for (const r of rows) out.set(r.rv, r.body);
    }
    return out;
  }

  /** How many objects of any kind live in a namespace of an API space. */
  countInNamespace(cluster: string, namespace: string): number {
    return this.index.countInNamespace(cluster, namespace);
  }

  /** Allocates the next resourceVersion; only valid inside transaction(). */
  nextRv(): number {
    this.assertInTransaction();
    return ++this.rv;
  }

  /**
   * Writes an object at a resourceVersion from nextRv() and logs the change. ADDED of an existing key
   * throws an ObjectExistsError; MODIFIED of a missing one throws an Error.
   */
  put(type: 'ADDED' | 'MODIFIED', key: ObjectKey, uid: string, rv: number, body: string): void {
    this.assertInTransaction();
    const had = this.index.get(key);
    if (type === 'ADDED' && had !== undefined) throw new ObjectExistsError(key);
    if (type === 'MODIFIED' && had === undefined)
      throw new Error(`store: cannot modify missing object ${JSON.stringify(key)}`);
    this.logChange(rv, type, key, body, uid);
    this.index.set(key, rv);
    if (had !== undefined) this.garbage.push(had);
  }

  exists(key: ObjectKey): boolean {
    return this.index.get(key) !== undefined;
  }

  /** Removes an object; body is its final state, as watchers will see it in the DELETED event. */
  remove(key: ObjectKey, rv: number, body: string): void {
    this.assertInTransaction();
    const had = this.index.get(key);
    this.logChange(rv, 'DELETED', key, body);
    this.index.set(key, undefined);
    if (had !== undefined) this.garbage.push(had);
    this.garbage.push(rv);
  }

  /** Replaces the owner links of an object (from its ownerReferences uids). */
  setOwners(key: ObjectKey, before: readonly string[], after: readonly string[]): void {
    this.assertInTransaction();
    const k = keyString(key);
    for (const uid of before) {
      if (after.includes(uid) || !this.owners.has(uid, k)) continue;
      this.owners.delete(uid, k);
      this.ownerOps.push([false, uid, key]);
    }
    for (const uid of after) {
      if (before.includes(uid) || this.owners.has(uid, k)) continue;
      this.owners.add(uid, k, key);
      this.ownerOps.push([true, uid, key]);
    }
  }

  /** Keys of the objects that name ownerUid in their ownerReferences. */
  dependents(ownerUid: string): ObjectKey[] {
    return this.owners.of(ownerUid);
  }

  /** Change-log entries after rv, oldest first. */
  *changesSince(rv: number): Generator<Change> {
    this.reachDisk();
    for (let from = rv; ;) {
      const rows = this.thread.call('all', 'SELECT * FROM changes WHERE rv > ? ORDER BY rv LIMIT ?', [
        from,
        PAGE,
      ]) as (Row & { type: ChangeType })[];
      for (const r of rows) yield { rv: r.rv, type: r.type, key: rowKey(r), body: r.body };
      if (rows.length < PAGE) return;
      from = rows[rows.length - 1]!.rv;
    }
  }

  /** Forgets change-log entries at or below rv (never the newest one). */
  compact(rv: number): void {
    if (this.depth > 0) throw new Error('compact() inside a write');
    const upTo = Math.min(rv, this.rv - 1);
    if (upTo <= this.compacted) return;
    this.commit();
    this.thread.compact(
      upTo,
      this.rv,
      this.fullCompactionDue,
      this.garbage.filter((r) => r <= upTo),
    );
    this.garbage = this.garbage.filter((r) => r > upTo);
    this.fullCompactionDue = false;
    this.compacted = upTo;
  }

  /** Every object with its body, in key order (snapshots, resets). */
  *allObjects(): Generator<StoredObject> {
    this.reachDisk();
    const sql =
      'SELECT o.*, c.body FROM objects o JOIN changes c ON c.rv = o.rv ' +
      'WHERE (o.cluster, o.grp, o.kind, o.namespace, o.name) > (?, ?, ?, ?, ?) ORDER BY 1, 2, 3, 4, 5 LIMIT ?';
    for (let after = ['', '', '', '', '']; ;) {
      const rows = this.thread.call('all', sql, [...after, PAGE]) as Row[];
      for (const r of rows) yield { key: rowKey(r), uid: r.uid, rv: r.rv, body: r.body };
      if (rows.length < PAGE) return;
      const l = rows[rows.length - 1]!;
      after = [l.cluster, l.grp, l.kind, l.namespace, l.name];
    }
  }

  getMeta(key: string): string | undefined {
    return (this.thread.call('get', SQL.metaGet, [key]) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.transaction(() => this.thread.call('run', SQL.metaSet, [key, value]));
  }

  addApiSpace(name: string, flavor: string): void {
    this.transaction(() => this.thread.call('run', SQL.spaceAdd, [name, flavor]));
  }

  removeApiSpace(name: string): void {
    this.transaction(() => this.thread.call('run', SQL.spaceDel, [name]));
  }

  apiSpaces(): { name: string; flavor: string }[] {
    return this.thread.call('all', SQL.spaceList, []) as { name: string; flavor: string }[];
  }

  close(): void {
    if (!this.thread.open) return;
    try {
      this.flush();
    } finally {
      this.thread.close();
    }
  }

  private logChange(rv: number, type: ChangeType, key: ObjectKey, body: string, uid?: string): void {
    const last = this.pending[this.pending.length - 1];
    if (last && rv <= last.rv) throw new Error(`store: revision ${rv} written after ${last.rv}`);
    this.pending.push(uid === undefined ? { rv, type, key, body } : { rv, type, key, body, uid });
  }

  /** Forgets the batches the thread has written out. */
  private pruneInflight(): void {
    const done = this.thread.committed();
    while (this.inflight.length > 0 && this.inflight[0]! <= done) this.inflight.shift();
  }

  /** Outside a write, commits; inside one, writes the open batch out: SQL over the lab file sees it all. */
  private reachDisk(): void {
    if (this.depth > 0) this.writeOut();
    else this.commit();
  }

  /**
   * Writes the pending changes and owner links out into the batch's SQL transaction (taking one if need
   * be), so that SQL over the objects and changes tables sees them; commit still waits for commit().
   */
  writeOut(): void {
    const owners = this.ownerOps;
    if (this.persisted === this.pending.length && this.ownersPersisted === owners.length) return;
    this.takeSavepoints();
    this.thread.write(
      flatChanges(this.pending, this.persisted, this.pending.length),
      flatOwners(owners, this.ownersPersisted, owners.length),
    );
    this.persisted = this.pending.length;
    this.ownersPersisted = owners.length;
  }

  private maybeCompact(written: number): void {
    // Checked once per 1,000 writes; every resourceVersion is one change-log row.
    this.writesSinceCompactCheck += written;
    if (this.writesSinceCompactCheck < 1000) return;
    this.writesSinceCompactCheck = 0;
    if (this.rv - this.compacted > this.changeLogLimit)
      this.compact(this.rv - Math.floor(this.changeLogLimit / 2));
  }

  private assertInTransaction(): void {
    if (this.depth === 0) throw new Error('store writes must run inside Store.transaction()');
  }
}
