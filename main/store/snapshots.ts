// Lab snapshots: a copy of every object (key, uid, body) and of the API spaces under a name, kept in the
// lab file itself so a lab stays one file. The change log and the workspace are not part of a snapshot.
import type { Store } from './store';
import { rowKey, type Row, type StoredObject } from './types';

export class Snapshots {
  constructor(private readonly store: Store) {}

  /** Copies every object and the API spaces under a name (replacing one of that name); the object count. */
  save(name: string, labTime: number): number {
    const s = this.store;
    return s.transaction(() => {
      s.writeOut();
      s.db.prepare('DELETE FROM snapshot_objects WHERE snapshot=?').run(name);
      s.db.prepare('DELETE FROM snapshots WHERE name=?').run(name);
      s.db
        .prepare('INSERT INTO snapshots (name, lab_time, spaces, objects) VALUES (?, ?, ?, 0)')
        .run(name, labTime, JSON.stringify(s.apiSpaces()));
      const n = s.db
        .prepare(
          `INSERT INTO snapshot_objects (snapshot, cluster, grp, kind, namespace, name, uid, body)
           SELECT ?, o.cluster, o.grp, o.kind, o.namespace, o.name, o.uid, c.body
           FROM objects o JOIN changes c ON c.rv = o.rv`,
        )
        .run(name).changes;
      s.db.prepare('UPDATE snapshots SET objects=? WHERE name=?').run(n, name);
      return n;
    });
  }

  list(): { name: string; labTime: number; objects: number }[] {
    const rows = this.store.db
      .prepare('SELECT name, lab_time, objects FROM snapshots ORDER BY lab_time, name')
      .all() as { name: string; lab_time: number; objects: number }[];
    return rows.map((r) => ({ name: r.name, labTime: r.lab_time, objects: r.objects }));
  }

  /** A snapshot's API spaces and objects, undefined when there is none of that name. */
  read(
    name: string,
  ): { labTime: number; spaces: { name: string; flavor: string }[]; objects: StoredObject[] } | undefined {
    const db = this.store.db;
    const row = db.prepare('SELECT lab_time, spaces FROM snapshots WHERE name=?').get(name) as
      { lab_time: number; spaces: string } | undefined;
    if (!row) return undefined;
    const rows = db
      .prepare('SELECT * FROM snapshot_objects WHERE snapshot=? ORDER BY 2, 3, 4, 5, 6')
      .all(name) as Row[];
    return {
      labTime: row.lab_time,
      spaces: JSON.parse(row.spaces) as { name: string; flavor: string }[],
      objects: rows.map((r) => ({ key: rowKey(r), uid: r.uid, rv: 0, body: r.body })),
    };
  }

  delete(name: string): boolean {
    const db = this.store.db;
    return this.store.transaction(() => {
      db.prepare('DELETE FROM snapshot_objects WHERE snapshot=?').run(name);
      return db.prepare('DELETE FROM snapshots WHERE name=?').run(name).changes > 0;
    });
  }
}
