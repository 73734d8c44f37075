import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations, schemaVersion } from '../../../main/store/migrations';
import { Store, StoreFailedError, type Change } from '../../../main/store/store';

const key = (name: string) => ({ cluster: 'supervisor', group: '', kind: 'Pod', namespace: 'default', name });
let dir: string;
let store: Store | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});
const open = () => {
  dir = mkdtempSync(join(tmpdir(), 'store-test-'));
  return (store = new Store(join(dir, 'lab.db')));
};

describe('Store', () => {
  it('opens in WAL mode at the current schema version', () => {
    const s = open();
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('user_version', { simple: true })).toBe(schemaVersion);
  });

  it('refuses a database from a newer build, changing nothing', () => {
    dir = mkdtempSync(join(tmpdir(), 'store-test-'));
    const path = join(dir, 'lab.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${schemaVersion + 5}`);
    raw.close();
    expect(() => new Store(path)).toThrow(/newer than this build understands/);
    const again = new Database(path);
    expect(again.pragma('user_version', { simple: true })).toBe(schemaVersion + 5);
    again.close();
  });

  it('hands out strictly increasing resourceVersions that survive a reopen', () => {
    const s = open();
    const rvs: number[] = [];
    for (const n of ['a', 'b', 'c'])
      s.transaction(() => {
        const rv = s.nextRv();
        rvs.push(rv);
        s.put('ADDED', key(n), n, rv, '{}');
      });
    expect(rvs).toEqual([1, 2, 3]);
    s.close();
    store = new Store(join(dir, 'lab.db'));
    store.transaction(() => expect(store!.nextRv()).toBe(4));
  });

  it('rolls a failed write back entirely, resourceVersion included', () => {
    const s = open();
    s.transaction(() => s.put('ADDED', key('a'), 'a', s.nextRv(), '{"v":1}'));
    expect(() =>
      s.transaction(() => {
        s.put('MODIFIED', key('a'), 'a', s.nextRv(), '{"v":2}');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(s.get(key('a'))?.body).toBe('{"v":1}');
    expect(s.currentRv()).toBe(1);
    s.transaction(() => expect(s.nextRv()).toBe(2));
  });

  it('keeps its key index across a reopen: lists in (namespace, name) order, counts, bodies', () => {
    const s = open();
    const at = (namespace: string, name: string) => ({ ...key(name), namespace });
    s.transaction(() => {
      for (const [ns, n] of [
        ['b', 'x'],
        ['a', 'z'],
        ['a', 'y'],
        ['ab', 'w'],
        ['b', 'gone'],
      ] as const)
        s.put('ADDED', at(ns, n), `${ns}-${n}`, s.nextRv(), `{"n":"${ns}/${n}"}`);
      s.remove(at('b', 'gone'), s.nextRv(), '{}');
    });
    const listed = (st: Store, ns?: string) =>
      st.listRevisions('supervisor', '', 'Pod', ns).map((r) => `${r.key.namespace}/${r.key.name}@${r.rv}`);
    const before = listed(s);
    expect(before).toEqual(['a/y@3', 'a/z@2', 'ab/w@4', 'b/x@1']);
    expect(listed(s, 'a')).toEqual(['a/y@3', 'a/z@2']);
    s.close();
    const again = (store = new Store(join(dir, 'lab.db')));
    expect(listed(again)).toEqual(before);
    expect(again.countInNamespace('supervisor', 'a')).toBe(2);
    expect(again.countInNamespace('supervisor', 'b')).toBe(1);
    expect(again.get(at('ab', 'w'))?.body).toBe('{"n":"ab/w"}');
    expect(again.exists(at('b', 'gone'))).toBe(false);
    expect([...again.allObjects()].map((o) => o.uid)).toEqual(['a-y', 'a-z', 'ab-w', 'b-x']);
  });

  it('takes back a failed write whose batch was already written out inside it, and nothing before it', () => {
    const s = open();
    s.transaction(() => s.put('ADDED', key('a'), 'a', s.nextRv(), '{"v":1}'));
    expect(() =>
      s.transaction(() => {
        s.put('MODIFIED', key('a'), 'a', s.nextRv(), '{"v":2}');
        s.put('ADDED', key('b'), 'b', s.nextRv(), '{}');
        // reading the change log writes the batch out into the open transaction
        expect([...s.changesSince(0)].map((c) => c.rv)).toEqual([1, 2, 3]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(s.get(key('a'))?.body).toBe('{"v":1}');
    expect(s.exists(key('b'))).toBe(false);
    s.flush();
    s.close();
    const again = (store = new Store(join(dir, 'lab.db')));
    expect([...again.changesSince(0)].map((c) => `${c.rv} ${c.type} ${c.key.name}`)).toEqual(['1 ADDED a']);
    expect(again.get(key('a'))).toEqual({ key: key('a'), rv: 1, body: '{"v":1}' });
    expect(again.exists(key('b'))).toBe(false);
  });

  it('takes back SQL run inside a failed write() (owner links, a nested transaction) with its objects', () => {
    const s = open();
    s.write(() => s.put('ADDED', key('a'), 'a', s.nextRv(), '{}'));
    const failing = (fn: () => void) =>
      expect(() =>
        s.write(() => {
          s.put('ADDED', key('b'), 'b', s.nextRv(), '{}');
          fn();
          throw new Error('boom');
        }),
      ).toThrow('boom');
    failing(() => {
      s.setOwners(key('b'), [], ['owner-1']);
      // asking for dependents writes the links out inside the write: they must go with it all the same
      expect(s.dependents('owner-1')).toEqual([key('b')]);
    });
    failing(() => s.setOwners(key('b'), [], ['owner-1']));
    failing(() => s.setMeta('note', 'kept?'));
    // a write() that succeeds keeps what ran inside it, SQL included, once it is part of the batch
    s.write(() => {
      s.put('ADDED', key('c'), 'c', s.nextRv(), '{}');
      s.setOwners(key('c'), [], ['owner-2']);
    });
    s.flush();
    expect(s.exists(key('b'))).toBe(false);
    expect(s.dependents('owner-1')).toEqual([]);
    expect(s.getMeta('note')).toBeUndefined();
    expect(s.dependents('owner-2')).toEqual([key('c')]);
    expect([...s.changesSince(0)].map((c) => `${c.rv} ${c.key.name}`)).toEqual(['1 a', '2 c']);
  });

  it('tells listeners only about committed changes, in order, once', () => {
    const s = open();
    const seen: Change[][] = [];
    s.onCommit((c) => seen.push([...c]));
    s.transaction(() => s.put('ADDED', key('a'), 'a', s.nextRv(), '{}'));
    s.transaction(() => s.put('ADDED', key('b'), 'b', s.nextRv(), '{}'));
    expect(seen).toEqual([]);
    s.flush();
    expect(seen.map((b) => b.map((c) => `${c.rv} ${c.type} ${c.key.name}`))).toEqual([
      ['1 ADDED a', '2 ADDED b'],
    ]);
  });

  it('commits a batch at the end of the turn without being asked', async () => {
    const s = open();
    const seen: number[] = [];
    s.onCommit((c) => seen.push(...c.map((x) => x.rv)));
    s.transaction(() => s.put('ADDED', key('a'), 'a', s.nextRv(), '{}'));
    await Promise.resolve();
    expect(seen).toEqual([1]);
    expect(s.db.inTransaction).toBe(false);
  });

  it('refuses writes outside a transaction', () => {
    const s = open();
    expect(() => s.put('ADDED', key('a'), 'a', 1, '{}')).toThrow(/inside Store.transaction/);
  });

  it('compacts superseded revisions, keeping the ones live objects point to and the newest', () => {
    const s = open();
    s.transaction(() => s.put('ADDED', key('a'), 'a', s.nextRv(), '{"v":1}'));
    s.transaction(() => s.put('MODIFIED', key('a'), 'a', s.nextRv(), '{"v":2}'));
    s.transaction(() => s.put('ADDED', key('b'), 'b', s.nextRv(), '{"v":1}'));
    s.transaction(() => s.put('MODIFIED', key('b'), 'b', s.nextRv(), '{"v":2}'));
    s.compact(100);
    expect(s.compactedRv()).toBe(3);
    expect([...s.changesSince(0)].map((c) => c.rv)).toEqual([2, 4]);
    expect(s.get(key('a'))?.body).toBe('{"v":2}');
    expect(s.get(key('b'))?.body).toBe('{"v":2}');
  });
  it('compacts what later writes supersede, across compactions and a reopen', () => {
    const s = open();
    const write = (name: string, v: number) =>
      s.transaction(() =>
        s.put(s.exists(key(name)) ? 'MODIFIED' : 'ADDED', key(name), name, s.nextRv(), `{"v":${v}}`),
      );
    write('a', 1); // 1
    write('b', 1); // 2
    write('c', 1); // 3
    s.compact(3); // nothing superseded yet: a@1, b@2, c@3 stay
    expect([...s.changesSince(0)].map((c) => c.rv)).toEqual([1, 2, 3]);
    write('a', 2); // 4 supersedes 1, from before the last compaction
    s.transaction(() => s.remove(key('b'), s.nextRv(), '{}')); // 5 supersedes 2, and is itself garbage
    write('c', 2); // 6 supersedes 3
    s.compact(100);
    expect(s.compactedRv()).toBe(5);
    expect([...s.changesSince(0)].map((c) => c.rv)).toEqual([4, 6]);
    write('c', 3); // 7 supersedes 6
    s.close();
    // a new process has no list of what is superseded: its first compaction scans the log
    const again = (store = new Store(join(dir, 'lab.db')));
    again.transaction(() => again.put('ADDED', key('d'), 'd', again.nextRv(), '{}')); // 8
    again.compact(100);
    expect([...again.changesSince(0)].map((c) => c.rv)).toEqual([4, 7, 8]);
    expect(again.get(key('c'))?.body).toBe('{"v":3}');
  });
});

describe("the store's SQLite thread", () => {
  it('shows a committed batch at once, reads it back while it is being written, and has it on disk after flush()', () => {
    const s = open();
    const seen: string[] = [];
    s.onCommit((cs) => seen.push(...cs.map((c) => `${c.rv} ${c.key.name}`)));
    for (const n of ['a', 'b', 'c'])
      s.write(() => {
        s.put('ADDED', key(n), n, s.nextRv(), JSON.stringify({ n }));
        s.setOwners(key(n), [], ['owner-1']);
      });
    s.commit();
    expect(seen).toEqual(['1 a', '2 b', '3 c']);
    expect(s.get(key('b'))?.body).toBe('{"n":"b"}');
    expect(s.dependents('owner-1').map((k) => k.name)).toEqual(['a', 'b', 'c']);
    s.flush();
    s.close();
    store = undefined;
    const raw = new Database(join(dir, 'lab.db'), { readonly: true });
    expect(raw.prepare('SELECT name, rv FROM objects ORDER BY name').all()).toEqual([
      { name: 'a', rv: 1 },
      { name: 'b', rv: 2 },
      { name: 'c', rv: 3 },
    ]);
    expect(raw.prepare('SELECT count(*) AS n FROM owner_refs').get()).toEqual({ n: 3 });
    raw.close();
  });

  it('reads many bodies back in one go, from disk and from the open batch, leaving out revisions with none', () => {
    const s = open();
    for (const n of ['a', 'b']) s.write(() => s.put('ADDED', key(n), n, s.nextRv(), `"${n}"`));
    s.flush();
    s.write(() => s.put('ADDED', key('c'), 'c', s.nextRv(), '"c"'));
    expect([...s.bodiesAt([3, 1, 99, 2])].sort()).toEqual([
      [1, '"a"'],
      [2, '"b"'],
      [3, '"c"'],
    ]);
  });

  it('stops for good when the disk is full, says so at the next flush, and the lab reopens as last written', async () => {
    const s = open();
    const path = join(dir, 'lab.db');
    s.write(() => s.put('ADDED', key('a'), 'a', s.nextRv(), '{}'));
    s.flush();
    // the lab file may not grow any more: the next batch cannot be written
    s.db.pragma(`max_page_count = ${s.db.pragma('page_count', { simple: true }) as number}`);
    s.write(() =>
      s.put('ADDED', key('big'), 'big', s.nextRv(), JSON.stringify({ pad: 'x'.repeat(200_000) })),
    );
    s.commit(); // handed over: the engine goes on at once
    expect(() => s.flush()).toThrow(StoreFailedError);
    // the batch commits at the end of the turn, quietly: the flush that answers someone says it failed
    s.write(() => s.put('ADDED', key('c'), 'c', s.nextRv(), '{}'));
    await Promise.resolve();
    expect(() => s.flush()).toThrow(/the lab file could not be written: database or disk is full/);
    expect(() => s.close()).toThrow(StoreFailedError);
    const again = (store = new Store(path));
    expect(again.get(key('a'))?.body).toBe('{}');
    expect(again.get(key('big'))).toBeUndefined();
    expect(again.get(key('c'))).toBeUndefined();
    expect(again.currentRv()).toBe(1);
  });
});

describe('migrations', () => {
  it('bring a version-1 lab forward with every object intact', () => {
    dir = mkdtempSync(join(tmpdir(), 'store-test-'));
    const path = join(dir, 'old.db');
    const old = new Database(path);
    old.exec(migrations[0]!);
    old.pragma('user_version = 1');
    const body = JSON.stringify({ metadata: { name: 'a', resourceVersion: '7' } });
    old
      .prepare("INSERT INTO objects VALUES ('supervisor', '', 'Pod', 'default', 'a', 'u-a', 7, ?)")
      .run(body);
    // revision 7 was compacted away in the old layout: the migration must keep the body anyway
    old
      .prepare("INSERT INTO changes VALUES (9, 'ADDED', 'supervisor', '', 'Pod', 'default', 'b', '{}')")
      .run();
    old.close();

    const s = (store = new Store(path));
    expect(s.db.pragma('user_version', { simple: true })).toBe(schemaVersion);
    expect(s.get(key('a'))).toEqual({ key: key('a'), rv: 7, body });
    expect([...s.allObjects()]).toEqual([{ key: key('a'), uid: 'u-a', rv: 7, body }]);
    expect(s.currentRv()).toBe(9);
  });
});
