// The store's SQLite thread, as source: it runs in a worker_threads Worker from a string (eval), so the
// same code runs under Node, Electron, the built bundle and the tests with no loader or extra entry.
// It is plain CommonJS JavaScript; thread.ts is its only caller and documents the protocol:
// - `batch`: one background transaction (BEGIN … COMMIT) of change-log rows, objects rows and owner links;
//   when it has committed, state[0] (the committed sequence number) moves to its seq;
// - `write`: the same rows into the transaction the engine holds open (see `call`);
// - `compact`: a background transaction that deletes superseded change-log rows;
// - `call`: one statement, answered synchronously (the engine waits on state[1] for the reply);
// - `close`.
// A background transaction that fails stops the thread's writing for good (state[2]); the engine learns
// of it at its next call or sync, and the lab reopens from what is on disk.
export const THREAD_SOURCE = String.raw`
'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.module);
const { path, nativeBinding, migrations, replies } = workerData;
const state = new Int32Array(workerData.shared);
const COMMITTED = 0, REPLIED = 1, FAILED = 2, EXITED = 3;
const CHUNK = 64;

let db;
/** why background writing stopped, for good */
let failure;
/** an error of a 'write' into the engine's transaction, told at its next call */
let writeError;
const statements = new Map();
const prep = (sql) => {
  let s = statements.get(sql);
  if (!s) statements.set(sql, (s = db.prepare(sql)));
  return s;
};

process.on('exit', () => {
  Atomics.store(state, EXITED, 1);
  Atomics.notify(state, COMMITTED);
  Atomics.notify(state, REPLIED);
});

function reply(message) {
  replies.postMessage(message);
  Atomics.store(state, REPLIED, 1);
  Atomics.notify(state, REPLIED);
}

const errorOf = (e) => ({ message: String((e && e.message) || e), code: e && e.code });

function fail(e) {
  if (!failure) failure = errorOf(e);
  Atomics.store(state, FAILED, 1);
  Atomics.notify(state, COMMITTED);
}

function open() {
  db = new Database(path, nativeBinding ? { nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a killed process loses nothing committed; only an OS crash may lose the tail.
    db.pragma('synchronous = NORMAL');
    // One engine owns a lab: its in-memory resourceVersion counter relies on being the only writer.
    db.pragma('locking_mode = EXCLUSIVE');
    // Checkpoint every ~32 MB of WAL rather than 4 MB: fewer fsyncs inside commits of large batches.
    db.pragma('wal_autocheckpoint = 8000');
    const current = db.pragma('user_version', { simple: true });
    if (current > migrations.length) {
      const e = new Error('lab database schema version ' + current + ' is newer than this build understands (' + migrations.length + ')');
      e.code = 'SCHEMA_TOO_NEW';
      throw e;
    }
    for (let v = current; v < migrations.length; v++)
      db.transaction(() => {
        db.exec(migrations[v]);
        db.pragma('user_version = ' + (v + 1));
      })();
  } catch (e) {
    db.close();
    throw e;
  }
}

const values = (columns, rows) =>
  Array.from({ length: rows }, () => '(' + Array(columns).fill('?').join(',') + ')').join(',');

/** Runs rows of width values through a CHUNK-row statement, the rest through a one-row one. */
function chunked(sql, width) {
  let one, many;
  const args = [];
  let rows = 0;
  return {
    add(row) {
      for (const v of row) args.push(v);
      if (++rows === CHUNK) {
        (many || (many = prep(sql(values(width, CHUNK))))).run(args);
        args.length = 0;
        rows = 0;
      }
    },
    end() {
      if (rows === 0) return;
      one = one || prep(sql(values(width, 1)));
      for (let r = 0; r < rows; r++) one.run(args.slice(r * width, (r + 1) * width));
      args.length = 0;
      rows = 0;
    },
  };
}

let changeRows, objectRows;

/**
 * Writes changes (flat: rv, type, cluster, grp, kind, namespace, name, body, uid per change) and owner
 * link operations (flat: add, owner uid, cluster, grp, kind, namespace, name) into the open transaction:
 * every change-log row, then one objects row per key written (its last change), in key order.
 */
function write(changes, owners) {
  changeRows = changeRows || chunked((v) => 'INSERT INTO changes (rv, type, cluster, grp, kind, namespace, name, body) VALUES ' + v, 8);
  objectRows = objectRows || chunked((v) => 'INSERT INTO objects (cluster, grp, kind, namespace, name, uid, rv) VALUES ' + v +
    ' ON CONFLICT (cluster, grp, kind, namespace, name) DO UPDATE SET uid=excluded.uid, rv=excluded.rv', 7);
  const last = new Map();
  for (let i = 0; i < changes.length; i += 9) {
    changeRows.add(changes.slice(i, i + 8));
    last.set(changes[i + 2] + '\u0000' + changes[i + 3] + '\u0000' + changes[i + 4] + '\u0000' + changes[i + 5] + '\u0000' + changes[i + 6], i);
  }
  changeRows.end();
  for (const k of [...last.keys()].sort()) {
    const i = last.get(k);
    if (changes[i + 1] === 'DELETED')
      prep('DELETE FROM objects WHERE cluster=? AND grp=? AND kind=? AND namespace=? AND name=?').run(changes.slice(i + 2, i + 7));
    else objectRows.add([changes[i + 2], changes[i + 3], changes[i + 4], changes[i + 5], changes[i + 6], changes[i + 8], changes[i]]);
  }
  objectRows.end();
  for (let i = 0; i < owners.length; i += 7) {
    const row = owners.slice(i + 1, i + 7);
    if (owners[i])
      prep('INSERT OR IGNORE INTO owner_refs (owner_uid, cluster, grp, kind, namespace, name) VALUES (?,?,?,?,?,?)').run(row);
    else
      prep('DELETE FROM owner_refs WHERE owner_uid=? AND cluster=? AND grp=? AND kind=? AND namespace=? AND name=?').run(row);
  }
}

/** fn in a transaction of the thread's own; a failure rolls it back and stops background writing */
function background(fn) {
  if (failure) return;
  try {
    prep('BEGIN IMMEDIATE').run();
    fn();
    prep('COMMIT').run();
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    fail(e);
  }
}

function setMeta(key, value) {
  prep('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value=excluded.value').run(key, value);
}

function call(m) {
  if (m.method === 'open') return open();
  if (m.method === 'close') {
    if (db && db.open) db.close();
    return;
  }
  if (failure) {
    const e = new Error('the lab file could not be written: ' + failure.message);
    e.code = 'STORE_FAILED';
    throw e;
  }
  if (writeError) {
    const e = writeError;
    writeError = undefined;
    throw e;
  }
  switch (m.method) {
    case 'run':
      return prep(m.sql).run(...m.params);
    case 'get':
      return prep(m.sql).get(...m.params);
    case 'all':
      return prep(m.sql).all(...m.params);
    case 'exec':
      return void db.exec(m.sql);
    case 'pragma':
      return db.pragma(m.sql, m.params);
    case 'inTransaction':
      return db.inTransaction;
    default:
      throw new Error('store thread: unknown call ' + m.method);
  }
}

parentPort.on('message', (m) => {
  switch (m.op) {
    case 'batch':
      background(() => write(m.changes, m.owners));
      Atomics.store(state, COMMITTED, m.seq);
      Atomics.notify(state, COMMITTED);
      return;
    case 'write':
      if (failure || writeError) return;
      try {
        write(m.changes, m.owners);
      } catch (e) {
        writeError = e;
      }
      return;
    case 'compact':
      background(() => {
        if (m.full) prep('DELETE FROM changes WHERE rv <= ? AND rv NOT IN (SELECT rv FROM objects)').run(m.upTo);
        else prep('DELETE FROM changes WHERE rv IN (SELECT value FROM json_each(?))').run(m.garbage);
        setMeta('compactedRv', String(m.upTo));
        setMeta('rv', String(m.rv));
      });
      return;
    case 'call':
      try {
        reply({ result: call(m) });
      } catch (e) {
        reply({ error: errorOf(e) });
      }
      return;
  }
});
`;
