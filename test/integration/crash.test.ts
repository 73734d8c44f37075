import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../main/api/client';
import { systemUser, type KubeObject } from '../../main/api/types';
import { Lab } from '../../main/sim/lab';

const dir = mkdtempSync(join(tmpdir(), 'crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the writer, waits until it has committed at least `atLeast` writes, then kills it with SIGKILL. */
function killMidWrite(path: string, atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'fixtures', 'crashWriter.ts'), path],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let committed = 0;
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/committed (\d+)/g)) committed = Number(m[1]);
      // Kill while the next batch is being written: it is in an open SQLite transaction right now.
      if (committed >= atLeast) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(committed) : reject(new Error(`writer exited ${code}: ${err}`)),
    );
  });
}

describe('crash safety', () => {
  it('a writer killed in the middle of a batch leaves a whole, consistent database that reopens', async () => {
    const path = join(dir, 'lab.db');
    const committed = await killMidWrite(path, 2000);
    expect(committed).toBeGreaterThanOrEqual(2000);

    const db = new Database(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db
      .prepare("SELECT o.*, c.body FROM objects o JOIN changes c ON c.rv = o.rv WHERE o.kind='Pod'")
      .all() as {
      name: string;
      rv: number;
      uid: string;
      body: string;
    }[];
    const changeMax = (db.prepare('SELECT max(rv) AS rv FROM changes').get() as { rv: number }).rv;
    for (const r of rows) {
      const obj = JSON.parse(r.body) as KubeObject;
      expect(obj.metadata.name).toBe(r.name);
      expect(obj.metadata.uid).toBe(r.uid);
      expect(Number(obj.metadata.resourceVersion)).toBe(r.rv);
      expect(r.rv).toBeLessThanOrEqual(changeMax);
      // the object's revision is the newest change of that object
      const last = db
        .prepare("SELECT rv FROM changes WHERE kind='Pod' AND name=? ORDER BY rv DESC LIMIT 1")
        .get(r.name) as { rv: number };
      expect(last.rv).toBe(r.rv);
    }
    // Every committed create is there unless a committed delete removed it: no committed change is lost.
    const names = new Set(rows.map((r) => r.name));
    const deleted = new Set(
      (db.prepare("SELECT name FROM changes WHERE type='DELETED'").all() as { name: string }[]).map(
        (r) => r.name,
      ),
    );
    for (let i = 0; i < committed; i++) {
      if (!deleted.has(`p-${i}`)) expect(names.has(`p-${i}`), `p-${i}`).toBe(true);
    }
    db.close();

    const lab = Lab.open({ path });
    const c = new ApiClient(lab.api, systemUser, 'supervisor');
    const created = c.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'after-crash', namespace: 'default' },
    });
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(changeMax);
    lab.close();
  }, 60_000);
});
