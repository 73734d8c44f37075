// Writing a batch of changes out to SQLite in bulk: the change-log rows, and one objects row per key the
// batch wrote (its last change: an upsert, or a delete), in key order, many rows per statement.
import type { Database, Statement } from 'better-sqlite3';
import type { Change } from './types';

/** rows per multi-row statement */
const CHUNK = 64;

const CHANGE_COLUMNS = '(rv, type, cluster, grp, kind, namespace, name, body)';
const OBJECT_COLUMNS = '(cluster, grp, kind, namespace, name, uid, rv)';
const UPSERT =
  'ON CONFLICT (cluster, grp, kind, namespace, name) DO UPDATE SET uid=excluded.uid, rv=excluded.rv';

const values = (columns: number, rows: number) =>
  Array.from({ length: rows }, () => `(${Array(columns).fill('?').join(',')})`).join(',');

/** Runs rows (width values each) through a CHUNK-row statement, the remainder through a one-row one. */
class Chunked {
  private readonly one: Statement;
  private readonly many: Statement;
  private readonly args: unknown[] = [];
  private rows = 0;

  constructor(
    db: Database,
    sql: (values: string) => string,
    private readonly width: number,
  ) {
    this.one = db.prepare(sql(values(width, 1)));
    this.many = db.prepare(sql(values(width, CHUNK)));
  }

  add(...row: unknown[]): void {
    this.args.push(...row);
    if (++this.rows === CHUNK) {
      this.many.run(this.args);
      this.args.length = 0;
      this.rows = 0;
    }
  }

  end(): void {
    const w = this.width;
    for (let r = 0; r < this.rows; r++) this.one.run(this.args.slice(r * w, (r + 1) * w));
    this.args.length = 0;
    this.rows = 0;
  }
}

const sortKey = (c: Change) =>
  `${c.key.cluster}\u0000${c.key.group}\u0000${c.key.kind}\u0000${c.key.namespace}\u0000${c.key.name}`;

export class BulkWriter {
  private readonly changes: Chunked;
  private readonly objects: Chunked;
  private readonly del: Statement;

  constructor(db: Database) {
    this.changes = new Chunked(db, (v) => `INSERT INTO changes ${CHANGE_COLUMNS} VALUES ${v}`, 8);
    this.objects = new Chunked(db, (v) => `INSERT INTO objects ${OBJECT_COLUMNS} VALUES ${v} ${UPSERT}`, 7);
    this.del = db.prepare(
      'DELETE FROM objects WHERE cluster=? AND grp=? AND kind=? AND namespace=? AND name=?',
    );
  }

  /** Writes changes[from, to) into the open transaction. */
  write(changes: readonly Change[], from: number, to: number): void {
    // each key's last change is how it stands now
    const last = new Map<string, Change>();
    for (let i = from; i < to; i++) {
      const c = changes[i]!;
      const k = c.key;
      this.changes.add(c.rv, c.type, k.cluster, k.group, k.kind, k.namespace, k.name, c.body);
      last.set(sortKey(c), c);
    }
    this.changes.end();
    const keys = [...last.keys()].sort();
    for (const sk of keys) {
      const c = last.get(sk)!;
      const k = c.key;
      if (c.type === 'DELETED') this.del.run(k.cluster, k.group, k.kind, k.namespace, k.name);
      else this.objects.add(k.cluster, k.group, k.kind, k.namespace, k.name, c.uid ?? '', c.rv);
    }
    this.objects.end();
  }
}
