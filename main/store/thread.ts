// The store's SQLite connection lives on a thread of its own (threadSource.ts), as etcd's backend commits
// in the background: the engine hands each committed batch over and goes on, and the thread writes it out
// on the other core. Everything else is a call the engine waits for, answered in order after the batches
// handed over before it, so a read always sees every earlier write.
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { migrations, SchemaTooNewError } from './migrations';
import { THREAD_SOURCE } from './threadSource';

const COMMITTED = 0;
const REPLIED = 1;
const FAILED = 2;
const EXITED = 3;

/** Background writing failed (a full disk, an I/O error): nothing more reaches the lab file. */
export class StoreFailedError extends Error {}

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement's surface, as better-sqlite3 offers it, answered by the store's thread. */
export interface SqlStatement {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** The lab database as code outside the store reaches it (workspace files, lab progress, snapshots). */
export interface SqlDatabase {
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  readonly inTransaction: boolean;
  readonly open: boolean;
}

/** A change as the thread takes it: rv, type, cluster, grp, kind, namespace, name, body, uid. */
export type FlatChanges = unknown[];
/** Owner link operations: add (1) or drop (0), owner uid, cluster, grp, kind, namespace, name. */
export type FlatOwners = unknown[];

export class SqlThread implements SqlDatabase {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly state: Int32Array;
  /** the sequence number of the last batch handed over */
  private posted = 0;
  private closed = false;

  constructor(path: string, nativeBinding: string | undefined) {
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(16);
    this.state = new Int32Array(shared);
    this.replies = port1;
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        path,
        nativeBinding,
        migrations,
        shared,
        replies: port2,
      },
      transferList: [port2],
    });
    // the thread must not keep a process alive that has nothing else to do (an unclosed lab in a test)
    this.worker.unref();
    this.replies.unref();
    try {
      this.call('open');
    } catch (err) {
      this.closed = true;
      void this.worker.terminate();
      throw err;
    }
  }

  get open(): boolean {
    return !this.closed;
  }

  get inTransaction(): boolean {
    return this.call('inTransaction') as boolean;
  }

  prepare(sql: string): SqlStatement {
    return {
      run: (...params) => this.call('run', sql, params) as RunResult,
      get: (...params) => this.call('get', sql, params),
      all: (...params) => this.call('all', sql, params) as unknown[],
    };
  }

  exec(sql: string): void {
    this.call('exec', sql);
  }

  pragma(source: string, options?: { simple?: boolean }): unknown {
    return this.call('pragma', source, options);
  }

  /** Hands a batch over to be committed in the background; returns its sequence number. */
  commitBatch(changes: FlatChanges, owners: FlatOwners): number {
    this.post({ op: 'batch', seq: ++this.posted, changes, owners });
    return this.posted;
  }

  /** Writes rows into the transaction the engine holds open (BEGIN through call()). */
  write(changes: FlatChanges, owners: FlatOwners): void {
    this.post({ op: 'write', changes, owners });
  }

  /** Deletes superseded change-log rows in the background: every row at or below upTo no live object needs (full), or the listed ones. */
  compact(upTo: number, rv: number, full: boolean, garbage: readonly number[]): void {
    this.post({ op: 'compact', upTo, rv, full, garbage: full ? '[]' : JSON.stringify(garbage) });
  }

  /** The sequence number of the last batch that has committed. */
  committed(): number {
    return Atomics.load(this.state, COMMITTED);
  }

  /** Waits until every batch handed over has committed; throws if background writing failed. */
  sync(): void {
    this.waitFor(this.posted);
  }

  /** Waits until batch seq has committed; throws if background writing failed. */
  waitFor(seq: number): void {
    for (;;) {
      this.checkHealth();
      const done = Atomics.load(this.state, COMMITTED);
      if (done >= seq) return;
      Atomics.wait(this.state, COMMITTED, done, 1000);
    }
  }

  /** One statement on the thread, after everything handed over before it. */
  call(method: string, sql?: string, params?: unknown): unknown {
    if (this.closed) throw new TypeError('The database connection is not open');
    Atomics.store(this.state, REPLIED, 0);
    this.worker.postMessage({ op: 'call', method, sql, params });
    while (Atomics.load(this.state, REPLIED) === 0) {
      if (Atomics.load(this.state, EXITED)) throw new StoreFailedError('the store thread has stopped');
      Atomics.wait(this.state, REPLIED, 0, 1000);
    }
    const reply = receiveMessageOnPort(this.replies)?.message as
      { result?: unknown; error?: { message: string; code?: string } } | undefined;
    if (!reply) throw new StoreFailedError('the store thread did not answer');
    if (reply.error) {
      const { message, code } = reply.error;
      if (code === 'SCHEMA_TOO_NEW') throw new SchemaTooNewError(message);
      if (code === 'STORE_FAILED') throw new StoreFailedError(message);
      throw Object.assign(new Error(message), code ? { code } : {});
    }
    return reply.result;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call('close');
    } finally {
      this.closed = true;
      void this.worker.terminate();
    }
  }

  private post(message: object): void {
    if (this.closed) throw new TypeError('The database connection is not open');
    this.worker.postMessage(message);
  }

  private checkHealth(): void {
    // the reason comes with the next call's answer
    if (Atomics.load(this.state, FAILED)) this.call('inTransaction');
    if (Atomics.load(this.state, EXITED)) throw new StoreFailedError('the store thread has stopped');
  }
}
