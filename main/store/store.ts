// The lab's object store: one SQLite file (WAL) holding every object of every API space, a change log
// whose sequence number is the global resourceVersion, and owner links for garbage collection.
// The store knows nothing of Kubernetes semantics; main/api gives the bytes their meaning.
//
// Laid out as etcd lays out its MVCC store: bodies live in the change log, keyed by revision, and the
// index from key to revision is held in memory (keyIndex.ts). A write touches memory only; the batch's
// change-log rows and index rows reach SQLite together, in bulk, when it commits.
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { BulkWriter } from './bulk';
import { KeyIndex } from './keyIndex';
import { Snapshots } from './snapshots';
import { migrate } from './migrations';
import {
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

export class Store {
  readonly db: Db;
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
  private flushScheduled = false;
  private readonly maxBatch: number;
  private writesSinceCompactCheck = 0;
  private pending: Change[] = [];
  /** how many of the pending changes are written to SQLite already (inside the open batch) */
  private persisted = 0;
  /** owner links added (true) and dropped in the open batch, in order, and how many are written out */
  private ownerOps: [add: boolean, uid: string, key: ObjectKey][] = [];
  private ownersPersisted = 0;
  /** where the open batch began: what a failed commit goes back to */
  private batchStart!: ReturnType<Store['marks']>;
  private readonly index = new KeyIndex();
  private readonly bulk: BulkWriter;
  /** named copies of every object, kept in the lab file */
  readonly snapshots: Snapshots;
  private readonly listeners = new Set<CommitListener>();
  private readonly rollbackListeners = new Set<() => void>();
  private readonly changeLogLimit: number;
  private readonly stmt: Record<string, Statement>;
  /** per open write, outermost first: whether it holds a SQL SAVEPOINT */
  private readonly savepoints: boolean[] = [];

  constructor(
    readonly path: string,
    options: StoreOptions = {},
  ) {
    this.db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a killed process loses nothing committed; only an OS crash may lose the tail.
    this.db.pragma('synchronous = NORMAL');
    // One engine owns a lab: the in-memory resourceVersion counter relies on being the only writer,
    // and exclusive locking also spares each commit the shared-memory index.
    this.db.pragma('locking_mode = EXCLUSIVE');
    // Checkpoint every ~32 MB of WAL rather than 4 MB: fewer fsyncs inside commits of large batches.
    this.db.pragma('wal_autocheckpoint = 8000');
    try {
      migrate(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.changeLogLimit = options.changeLogLimit ?? 200_000;
    this.maxBatch = options.maxBatch ?? 5_000;
    const d = this.db;
    this.stmt = {
      begin: d.prepare('BEGIN IMMEDIATE'),
      commit: d.prepare('COMMIT'),
      // one name for every level: ROLLBACK TO and RELEASE act on the innermost savepoint of that name
      savepoint: d.prepare('SAVEPOINT w'),
      rollbackTo: d.prepare('ROLLBACK TO w'),
      release: d.prepare('RELEASE w'),
      // An object row names its current revision; the body lives in that revision's change-log row.
      bodyAt: d.prepare('SELECT body FROM changes WHERE rv=?'),
      changesSince: d.prepare('SELECT * FROM changes WHERE rv > ? ORDER BY rv'),
      // revisions that live objects still point to stay: they hold those objects' bodies
      compact: d.prepare('DELETE FROM changes WHERE rv <= ? AND rv NOT IN (SELECT rv FROM objects)'),
      compactSome: d.prepare('DELETE FROM changes WHERE rv IN (SELECT value FROM json_each(?))'),
      ownerAdd: d.prepare(
        'INSERT OR IGNORE INTO owner_refs (owner_uid, cluster, grp, kind, namespace, name) VALUES (?,?,?,?,?,?)',
      ),
      ownerDel: d.prepare(
        'DELETE FROM owner_refs WHERE owner_uid=? AND cluster=? AND grp=? AND kind=? AND namespace=? AND name=?',
      ),
      dependents: d.prepare('SELECT * FROM owner_refs WHERE owner_uid=?'),
      metaGet: d.prepare('SELECT value FROM meta WHERE key=?'),
      metaSet: d.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value=excluded.value',
      ),
      spaceAdd: d.prepare('INSERT OR IGNORE INTO api_spaces (name, flavor) VALUES (?, ?)'),
      spaceDel: d.prepare('DELETE FROM api_spaces WHERE name=?'),
      spaceList: d.prepare('SELECT name, flavor FROM api_spaces ORDER BY name'),
    };
    this.bulk = new BulkWriter(d);
    this.snapshots = new Snapshots(this);
    for (const r of d
      .prepare('SELECT cluster, grp, kind, namespace, name, uid, rv FROM objects')
      .iterate() as IterableIterator<Omit<Row, 'body'>>)
      this.index.set(rowKey(r as Row), r.rv);
    this.index.forget();
    const maxRow = d.prepare('SELECT max(rv) AS rv FROM changes').get() as { rv: number | null };
    this.compacted = Number(this.getMeta('compactedRv') ?? 0);
    this.rv = Math.max(maxRow.rv ?? 0, Number(this.getMeta('rv') ?? 0), this.compacted);
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
   * group-committed, as etcd's backend does: the SQLite transaction that holds them commits at the end
   * of the current turn of the event loop (a microtask), after maxBatch writes, or at flush(). Listeners
   * see changes only once committed. Anything that tells the outside world a write happened (an HTTP
   * response, terminal output) must call flush() first.
   *
   * fn may run SQL of its own on store.db (files, lab progress): it runs inside a SAVEPOINT.
   */
  transaction<T>(fn: () => T): T {
    return this.atomically(fn, true);
  }

  /**
   * transaction() for writes of objects only (put, remove, setOwners and reads), the API's write path:
   * object writes live in memory until the batch is written out, so a SAVEPOINT is taken only if SQL
   * does run inside (owner links, a nested transaction()), which spares most writes two statements.
   */
  write<T>(fn: () => T): T {
    return this.atomically(fn, false);
  }

  private atomically<T>(fn: () => T, sql: boolean): T {
    if (!this.db.inTransaction) {
      this.stmt.begin!.run();
      this.batchStart = this.marks();
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        queueMicrotask(() => {
          this.flushScheduled = false;
          if (this.db.open && this.depth === 0) this.flush();
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
      if (this.savepoints[level]) this.stmt.release!.run();
    } catch (err) {
      if (this.savepoints[level] && this.db.inTransaction) {
        this.stmt.rollbackTo!.run();
        this.stmt.release!.run();
      }
      this.restore(before);
      throw err;
    } finally {
      this.savepoints.length = level;
      this.depth--;
    }
    if (this.depth === 0 && this.pending.length >= this.maxBatch) this.flush();
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
    this.ownerOps.length = m.owners;
    this.ownersPersisted = m.ownersPersisted;
    // compaction replaces the list with a shorter one: never lengthen it
    this.garbage.length = Math.min(this.garbage.length, m.garbage);
  }

  /**
   * SQL is about to run inside the open writes: each that holds no SAVEPOINT yet takes one now, outermost
   * first. None of them has run SQL since it began (it would hold one), so now is as good as its start.
   */
  private takeSavepoints(): void {
    for (let i = 0; i < this.savepoints.length; i++) {
      if (this.savepoints[i]) continue;
      this.stmt.savepoint!.run();
      this.savepoints[i] = true;
    }
  }

  /** Whether a write (transaction()) is running: flush() must wait until it ends. */
  get inWrite(): boolean {
    return this.depth > 0;
  }

  /** Commits the open batch, if any, and tells listeners what it held. */
  flush(): void {
    if (this.depth > 0) throw new Error('flush() inside a write');
    if (!this.db.inTransaction) return;
    try {
      this.writeOut();
      this.stmt.commit!.run();
    } catch (err) {
      // nothing of the batch is durable: take all of it back, as a rolled-back write is taken back
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.restore(this.batchStart);
      // compaction may have dropped revisions from its list that the rollback brought back: scan next time
      this.fullCompactionDue = true;
      throw err;
    }
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
    const p = this.pending;
    if (this.persisted < p.length && rv >= p[this.persisted]!.rv) {
      // not written out yet: pending changes are in revision order
      let lo = this.persisted;
      let hi = p.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const c = p[mid]!;
        if (c.rv === rv) return c.body;
        if (c.rv < rv) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    }
    return (this.stmt.bodyAt!.get(rv) as { body: string } | undefined)?.body;
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
    for (const uid of before) if (!after.includes(uid)) this.ownerOps.push([false, uid, key]);
    for (const uid of after) if (!before.includes(uid)) this.ownerOps.push([true, uid, key]);
  }

  /** Keys of the objects that name ownerUid in their ownerReferences. */
  dependents(ownerUid: string): ObjectKey[] {
    this.writeOut();
    return (this.stmt.dependents!.all(ownerUid) as Row[]).map(rowKey);
  }

  /** Change-log entries after rv, oldest first. */
  *changesSince(rv: number): Generator<Change> {
    this.writeOut();
    for (const r of this.stmt.changesSince!.iterate(rv) as IterableIterator<Row & { type: ChangeType }>) {
      yield { rv: r.rv, type: r.type, key: rowKey(r), body: r.body };
    }
  }

  /** Forgets change-log entries at or below rv (never the newest one). */
  compact(rv: number): void {
    if (this.depth > 0) throw new Error('compact() inside a write');
    const upTo = Math.min(rv, this.rv - 1);
    if (upTo <= this.compacted) return;
    this.transaction(() => {
      this.writeOut();
      if (this.fullCompactionDue) this.stmt.compact!.run(upTo);
      else this.stmt.compactSome!.run(JSON.stringify(this.garbage.filter((r) => r <= upTo)));
      this.stmt.metaSet!.run('compactedRv', String(upTo));
      this.stmt.metaSet!.run('rv', String(this.rv));
    });
    this.garbage = this.garbage.filter((r) => r > upTo);
    this.fullCompactionDue = false;
    this.compacted = upTo;
  }

  /** Every object with its body, in key order (snapshots, resets). */
  *allObjects(): Generator<StoredObject> {
    this.writeOut();
    for (const r of this.db
      .prepare('SELECT o.*, c.body FROM objects o JOIN changes c ON c.rv = o.rv ORDER BY 1, 2, 3, 4, 5')
      .iterate() as IterableIterator<Row>)
      yield { key: rowKey(r), uid: r.uid, rv: r.rv, body: r.body };
  }

  getMeta(key: string): string | undefined {
    return (this.stmt.metaGet!.get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.transaction(() => this.stmt.metaSet!.run(key, value));
  }

  addApiSpace(name: string, flavor: string): void {
    this.transaction(() => this.stmt.spaceAdd!.run(name, flavor));
  }

  removeApiSpace(name: string): void {
    this.transaction(() => this.stmt.spaceDel!.run(name));
  }

  apiSpaces(): { name: string; flavor: string }[] {
    return this.stmt.spaceList!.all() as { name: string; flavor: string }[];
  }

  close(): void {
    if (!this.db.open) return;
    this.flush();
    this.db.close();
  }

  private logChange(rv: number, type: ChangeType, key: ObjectKey, body: string, uid?: string): void {
    const last = this.pending[this.pending.length - 1];
    if (last && rv <= last.rv) throw new Error(`store: revision ${rv} written after ${last.rv}`);
    this.pending.push(uid === undefined ? { rv, type, key, body } : { rv, type, key, body, uid });
  }

  /**
   * Writes the pending changes out into the open batch (see bulk.ts), so that SQL over the objects and
   * changes tables sees them; commit still waits for flush().
   */
  writeOut(): void {
    const owners = this.ownerOps;
    if (this.persisted === this.pending.length && this.ownersPersisted === owners.length) return;
    this.takeSavepoints();
    this.bulk.write(this.pending, this.persisted, this.pending.length);
    this.persisted = this.pending.length;
    for (; this.ownersPersisted < owners.length; this.ownersPersisted++) {
      const [add, uid, k] = owners[this.ownersPersisted]!;
      (add ? this.stmt.ownerAdd! : this.stmt.ownerDel!).run(
        uid,
        k.cluster,
        k.group,
        k.kind,
        k.namespace,
        k.name,
      );
    }
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
