// The lab's object store: one SQLite file (WAL) holding every object of every API space, a change log
// whose sequence number is the global resourceVersion, and owner links for garbage collection.
// The store knows nothing of Kubernetes semantics; main/api gives the bytes their meaning.
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { migrate } from './migrations';

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

interface Row {
  cluster: string;
  grp: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  rv: number;
  body: string;
}

const rowKey = (r: Row): ObjectKey => ({
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

export class Store {
  readonly db: Db;
  private rv: number;
  private compacted: number;
  private depth = 0;
  private flushScheduled = false;
  private readonly maxBatch: number;
  private writesSinceCompactCheck = 0;
  private pending: Change[] = [];
  private readonly listeners = new Set<CommitListener>();
  private readonly rollbackListeners = new Set<() => void>();
  private readonly changeLogLimit: number;
  private readonly stmt: Record<string, Statement>;
  /** better-sqlite3's transaction wrapper, built once: building it per call is costly */
  private readonly savepoint: (fn: () => unknown) => unknown;

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
      // An object row names its current revision; the body lives in that revision's change-log row.
      get: d.prepare(
        `SELECT o.*, c.body FROM objects o JOIN changes c ON c.rv = o.rv
         WHERE o.cluster=? AND o.grp=? AND o.kind=? AND o.namespace=? AND o.name=?`,
      ),
      listAll: d.prepare(
        `SELECT o.*, c.body FROM objects o JOIN changes c ON c.rv = o.rv
         WHERE o.cluster=? AND o.grp=? AND o.kind=? ORDER BY o.namespace, o.name`,
      ),
      listNs: d.prepare(
        `SELECT o.*, c.body FROM objects o JOIN changes c ON c.rv = o.rv
         WHERE o.cluster=? AND o.grp=? AND o.kind=? AND o.namespace=? ORDER BY o.name`,
      ),
      listAfter: d.prepare(
        `SELECT o.*, c.body FROM objects o JOIN changes c ON c.rv = o.rv
         WHERE o.cluster=? AND o.grp=? AND o.kind=? AND (o.namespace, o.name) > (?, ?)
         ORDER BY o.namespace, o.name LIMIT ?`,
      ),
      listNsAfter: d.prepare(
        `SELECT o.*, c.body FROM objects o JOIN changes c ON c.rv = o.rv
         WHERE o.cluster=? AND o.grp=? AND o.kind=? AND o.namespace=? AND o.name > ?
         ORDER BY o.name LIMIT ?`,
      ),
      keysAll: d.prepare(
        'SELECT * FROM objects WHERE cluster=? AND grp=? AND kind=? ORDER BY namespace, name',
      ),
      keysNs: d.prepare(
        'SELECT * FROM objects WHERE cluster=? AND grp=? AND kind=? AND namespace=? ORDER BY name',
      ),
      bodyAt: d.prepare('SELECT body FROM changes WHERE rv=?'),
      countNs: d.prepare('SELECT count(*) AS n FROM objects WHERE cluster=? AND namespace=?'),
      insert: d.prepare(
        'INSERT INTO objects (cluster, grp, kind, namespace, name, uid, rv) VALUES (?,?,?,?,?,?,?)',
      ),
      update: d.prepare(
        'UPDATE objects SET uid=?, rv=? WHERE cluster=? AND grp=? AND kind=? AND namespace=? AND name=?',
      ),
      exists: d.prepare(
        'SELECT 1 FROM objects WHERE cluster=? AND grp=? AND kind=? AND namespace=? AND name=?',
      ),
      field: d.prepare(
        `SELECT c.body ->> ? AS v FROM objects o JOIN changes c ON c.rv = o.rv
         WHERE o.cluster=? AND o.grp=? AND o.kind=? AND o.namespace=? AND o.name=?`,
      ),
      del: d.prepare('DELETE FROM objects WHERE cluster=? AND grp=? AND kind=? AND namespace=? AND name=?'),
      change: d.prepare(
        'INSERT INTO changes (rv, type, cluster, grp, kind, namespace, name, body) VALUES (?,?,?,?,?,?,?,?)',
      ),
      changesSince: d.prepare('SELECT * FROM changes WHERE rv > ? ORDER BY rv'),
      // revisions that live objects still point to stay: they hold those objects' bodies
      compact: d.prepare('DELETE FROM changes WHERE rv <= ? AND rv NOT IN (SELECT rv FROM objects)'),
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
    this.savepoint = d.transaction((fn: () => unknown) => fn());
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
   * Runs fn as one atomic write (a SAVEPOINT): on a throw nothing of it remains, resourceVersions
   * included. Writes are group-committed, as etcd's backend does: the SQLite transaction that holds them
   * commits at the end of the current turn of the event loop (a microtask), after maxBatch writes, or at
   * flush(). Listeners see changes only once committed. Anything that tells the outside world a write
   * happened (an HTTP response, terminal output) must call flush() first.
   */
  transaction<T>(fn: () => T): T {
    if (!this.db.inTransaction) {
      this.stmt.begin!.run();
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        queueMicrotask(() => {
          this.flushScheduled = false;
          if (this.db.open && this.depth === 0) this.flush();
        });
      }
    }
    const rvBefore = this.rv;
    const pendingBefore = this.pending.length;
    this.depth++;
    let result: T;
    try {
      // Inside the open batch better-sqlite3 runs this as a SAVEPOINT, nested calls included.
      result = this.savepoint(fn) as T;
    } catch (err) {
      // resourceVersions handed out inside the failed write will be handed out again: anyone caching
      // by resourceVersion must forget what it learnt since.
      if (this.rv !== rvBefore) for (const l of this.rollbackListeners) l();
      this.rv = rvBefore;
      this.pending.length = pendingBefore;
      throw err;
    } finally {
      this.depth--;
    }
    if (this.depth === 0 && this.pending.length >= this.maxBatch) this.flush();
    return result;
  }

  /** Whether a write (transaction()) is running: flush() must wait until it ends. */
  get inWrite(): boolean {
    return this.depth > 0;
  }

  /** Commits the open batch, if any, and tells listeners what it held. */
  flush(): void {
    if (this.depth > 0) throw new Error('flush() inside a write');
    if (!this.db.inTransaction) return;
    this.stmt.commit!.run();
    const committed = this.pending;
    this.pending = [];
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

  get(key: ObjectKey): StoredObject | undefined {
    const r = this.stmt.get!.get(key.cluster, key.group, key.kind, key.namespace, key.name) as
      Row | undefined;
    return r && { key: rowKey(r), uid: r.uid, rv: r.rv, body: r.body };
  }

  /** Objects of one kind, all namespaces when namespace is undefined, in (namespace, name) order. */
  list(cluster: string, group: string, kind: string, namespace?: string): StoredObject[] {
    const rows = (
      namespace === undefined
        ? this.stmt.listAll!.all(cluster, group, kind)
        : this.stmt.listNs!.all(cluster, group, kind, namespace)
    ) as Row[];
    return rows.map((r) => ({ key: rowKey(r), uid: r.uid, rv: r.rv, body: r.body }));
  }

  /**
   * Keys, uids and revisions of one kind, without bodies: for readers that cache bodies by revision
   * (see bodyAt), which saves copying every body out of SQLite on each list.
   */
  listRevisions(
    cluster: string,
    group: string,
    kind: string,
    namespace?: string,
  ): Omit<StoredObject, 'body'>[] {
    const rows = (
      namespace === undefined
        ? this.stmt.keysAll!.all(cluster, group, kind)
        : this.stmt.keysNs!.all(cluster, group, kind, namespace)
    ) as Omit<Row, 'body'>[];
    return rows.map((r) => ({ key: rowKey(r as Row), uid: r.uid, rv: r.rv }));
  }

  /** The body written at a revision (a live object's current revision is never compacted away). */
  bodyAt(rv: number): string | undefined {
    return (this.stmt.bodyAt!.get(rv) as { body: string } | undefined)?.body;
  }

  /** A page of objects strictly after (afterNamespace, afterName), for limit/continue. */
  listPage(
    cluster: string,
    group: string,
    kind: string,
    namespace: string | undefined,
    after: { namespace: string; name: string },
    limit: number,
  ): StoredObject[] {
    const rows = (
      namespace === undefined
        ? this.stmt.listAfter!.all(cluster, group, kind, after.namespace, after.name, limit)
        : this.stmt.listNsAfter!.all(cluster, group, kind, namespace, after.name, limit)
    ) as Row[];
    return rows.map((r) => ({ key: rowKey(r), uid: r.uid, rv: r.rv, body: r.body }));
  }

  /** How many objects of any kind live in a namespace of an API space. */
  countInNamespace(cluster: string, namespace: string): number {
    return (this.stmt.countNs!.get(cluster, namespace) as { n: number }).n;
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
    if (type === 'ADDED') {
      try {
        this.stmt.insert!.run(key.cluster, key.group, key.kind, key.namespace, key.name, uid, rv);
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
          throw new ObjectExistsError(key);
        throw err;
      }
    } else {
      const r = this.stmt.update!.run(uid, rv, key.cluster, key.group, key.kind, key.namespace, key.name);
      if (r.changes !== 1) throw new Error(`store: cannot modify missing object ${JSON.stringify(key)}`);
    }
    this.logChange(rv, type, key, body);
  }

  exists(key: ObjectKey): boolean {
    return this.stmt.exists!.get(key.cluster, key.group, key.kind, key.namespace, key.name) !== undefined;
  }

  /**
   * One field of a stored object by JSON path (`$.metadata.deletionTimestamp`), without parsing the
   * whole body; undefined when the object is missing, null when the field is.
   */
  field(key: ObjectKey, path: string): unknown {
    const r = this.stmt.field!.get(path, key.cluster, key.group, key.kind, key.namespace, key.name) as
      { v: unknown } | undefined;
    return r === undefined ? undefined : r.v;
  }

  /** Removes an object; body is its final state, as watchers will see it in the DELETED event. */
  remove(key: ObjectKey, rv: number, body: string): void {
    this.assertInTransaction();
    this.stmt.del!.run(key.cluster, key.group, key.kind, key.namespace, key.name);
    this.logChange(rv, 'DELETED', key, body);
  }

  /** Replaces the owner links of an object (from its ownerReferences uids). */
  setOwners(key: ObjectKey, before: readonly string[], after: readonly string[]): void {
    this.assertInTransaction();
    for (const uid of before) {
      if (!after.includes(uid))
        this.stmt.ownerDel!.run(uid, key.cluster, key.group, key.kind, key.namespace, key.name);
    }
    for (const uid of after) {
      if (!before.includes(uid))
        this.stmt.ownerAdd!.run(uid, key.cluster, key.group, key.kind, key.namespace, key.name);
    }
  }

  /** Keys of the objects that name ownerUid in their ownerReferences. */
  dependents(ownerUid: string): ObjectKey[] {
    return (this.stmt.dependents!.all(ownerUid) as Row[]).map(rowKey);
  }

  /** Change-log entries after rv, oldest first. */
  *changesSince(rv: number): Generator<Change> {
    for (const r of this.stmt.changesSince!.iterate(rv) as IterableIterator<Row & { type: ChangeType }>) {
      yield { rv: r.rv, type: r.type, key: rowKey(r), body: r.body };
    }
  }

  /** Forgets change-log entries at or below rv (never the newest one). */
  compact(rv: number): void {
    const upTo = Math.min(rv, this.rv - 1);
    if (upTo <= this.compacted) return;
    this.transaction(() => {
      this.stmt.compact!.run(upTo);
      this.stmt.metaSet!.run('compactedRv', String(upTo));
      this.stmt.metaSet!.run('rv', String(this.rv));
    });
    this.compacted = upTo;
  }

  /** Every object with its body, in key order (snapshots, resets). */
  *allObjects(): Generator<StoredObject> {
    for (const r of this.db
      .prepare('SELECT o.*, c.body FROM objects o JOIN changes c ON c.rv = o.rv ORDER BY 1, 2, 3, 4, 5')
      .iterate() as IterableIterator<Row>)
      yield { key: rowKey(r), uid: r.uid, rv: r.rv, body: r.body };
  }

  /** Copies every object and the API spaces under a snapshot name (replacing one of that name). */
  saveSnapshot(name: string, labTime: number): number {
    return this.transaction(() => {
      this.db.prepare('DELETE FROM snapshot_objects WHERE snapshot=?').run(name);
      this.db.prepare('DELETE FROM snapshots WHERE name=?').run(name);
      this.db
        .prepare('INSERT INTO snapshots (name, lab_time, spaces, objects) VALUES (?, ?, ?, 0)')
        .run(name, labTime, JSON.stringify(this.apiSpaces()));
      const n = this.db
        .prepare(
          `INSERT INTO snapshot_objects (snapshot, cluster, grp, kind, namespace, name, uid, body)
           SELECT ?, o.cluster, o.grp, o.kind, o.namespace, o.name, o.uid, c.body
           FROM objects o JOIN changes c ON c.rv = o.rv`,
        )
        .run(name).changes;
      this.db.prepare('UPDATE snapshots SET objects=? WHERE name=?').run(n, name);
      return n;
    });
  }

  snapshots(): { name: string; labTime: number; objects: number }[] {
    return (
      this.db.prepare('SELECT name, lab_time, objects FROM snapshots ORDER BY lab_time, name').all() as {
        name: string;
        lab_time: number;
        objects: number;
      }[]
    ).map((r) => ({ name: r.name, labTime: r.lab_time, objects: r.objects }));
  }

  /** A snapshot's API spaces and objects, undefined when there is none of that name. */
  readSnapshot(
    name: string,
  ): { labTime: number; spaces: { name: string; flavor: string }[]; objects: StoredObject[] } | undefined {
    const row = this.db.prepare('SELECT lab_time, spaces FROM snapshots WHERE name=?').get(name) as
      { lab_time: number; spaces: string } | undefined;
    if (!row) return undefined;
    const objects = (
      this.db
        .prepare('SELECT * FROM snapshot_objects WHERE snapshot=? ORDER BY 2, 3, 4, 5, 6')
        .all(name) as Row[]
    ).map((r) => ({ key: rowKey(r), uid: r.uid, rv: 0, body: r.body }));
    return {
      labTime: row.lab_time,
      spaces: JSON.parse(row.spaces) as { name: string; flavor: string }[],
      objects,
    };
  }

  deleteSnapshot(name: string): boolean {
    return this.transaction(() => {
      this.db.prepare('DELETE FROM snapshot_objects WHERE snapshot=?').run(name);
      return this.db.prepare('DELETE FROM snapshots WHERE name=?').run(name).changes > 0;
    });
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

  private logChange(rv: number, type: ChangeType, key: ObjectKey, body: string): void {
    this.stmt.change!.run(rv, type, key.cluster, key.group, key.kind, key.namespace, key.name, body);
    this.pending.push({ rv, type, key, body });
  }

  private maybeCompact(written: number): void {
    // Checked cheaply: the log is counted once per 1,000 writes.
    this.writesSinceCompactCheck += written;
    if (this.writesSinceCompactCheck < 1000) return;
    this.writesSinceCompactCheck = 0;
    // Every resourceVersion is one change-log row, so the log holds (current - compacted) rows.
    if (this.rv - this.compacted > this.changeLogLimit)
      this.compact(this.rv - Math.floor(this.changeLogLimit / 2));
  }

  private assertInTransaction(): void {
    if (this.depth === 0) throw new Error('store writes must run inside Store.transaction()');
  }
}
