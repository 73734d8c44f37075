// The store suite: write throughput through the API (group commit and one commit per request) against a
// raw better-sqlite3 baseline, list latency (objects and Table), and watch fan-out. Everything runs on
// on-disk lab files in a fresh temp dir, after a small warm-up run in a throwaway lab.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { ApiClient } from '../../main/api/client';
import { systemUser, type KubeObject, type WatchEvent } from '../../main/api/types';
import { Lab, SUPERVISOR } from '../../main/sim/lab';
import { figure, median, num, perSecond, verdict } from './report';

const N = 10_000;
const WARMUP_N = 500;
const WATCHERS = 10;
const LIST_RUNS = 5;
const RUNS = 5;
const RATIO_TARGET = 25; // %
const LIST_TARGET_MS = 100;
const NAMESPACE = 'default';
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

// The raw baseline: one keyed row per object with its body, as migration 1 laid the objects table out.
// (The store now keeps bodies in the change log, migration 2; the baseline stays the simplest insert of
// the same bytes, which is what the "raw better-sqlite3 insert" compares against.)
const CREATE_OBJECTS = `
  CREATE TABLE objects (
    cluster   TEXT NOT NULL,
    grp       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    uid       TEXT NOT NULL,
    rv        INTEGER NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (cluster, grp, kind, namespace, name)
  );
`;

type Report = (label: string, value: number | string, unit: string, note?: string, decimals?: number) => void;

const TIERS = ['frontend', 'backend', 'cache'] as const;

function makePods(prefix: string, n: number): KubeObject[] {
  const pods: KubeObject[] = [];
  for (let i = 1; i <= n; i++) {
    pods.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${prefix}${String(i).padStart(5, '0')}`,
        namespace: NAMESPACE,
        labels: { app: `web-${i % 20}`, tier: TIERS[i % TIERS.length]! },
      },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx:1.25',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' } },
          },
        ],
      },
    });
  }
  return pods;
}

function openLab(path: string): { lab: Lab; client: ApiClient } {
  const lab = Lab.open({ path });
  return { lab, client: new ApiClient(lab.api, systemUser, SUPERVISOR) };
}

/** Inserts the created objects' rows into a fresh table shaped like the store's; returns rows/s. */
function rawInsertRate(path: string, created: KubeObject[]): number {
  const rows = created.map((o) => [
    SUPERVISOR,
    '',
    'Pod',
    NAMESPACE,
    o.metadata.name!,
    o.metadata.uid!,
    Number(o.metadata.resourceVersion),
    JSON.stringify(o),
  ]);
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec(CREATE_OBJECTS);
    const insert = db.prepare(
      'INSERT INTO objects (cluster, grp, kind, namespace, name, uid, rv, body) VALUES (?,?,?,?,?,?,?,?)',
    );
    const insertAll = db.transaction(() => {
      for (const r of rows) insert.run(r);
    });
    const t0 = performance.now();
    insertAll();
    return perSecond(rows.length, performance.now() - t0);
  } finally {
    db.close();
  }
}

/** Runs every measurement with n objects in dir; the warm-up passes a report that prints nothing. */
function measure(dir: string, n: number, report: Report): void {
  const count = num(n);
  const labs: Lab[] = [];
  try {
    // 1. Group commit: one synchronous loop of creates, then flush — and, interleaved with it, the raw
    // better-sqlite3 baseline (same pragmas, table and bodies, one transaction). Each RUNS times on fresh
    // files; the medians make the ratio, so one noisy sample cannot decide it.
    const groupRates: number[] = [];
    const rawRates: number[] = [];
    let a: { lab: Lab; client: ApiClient } | undefined;
    let t0: number;
    for (let run = 0; run < RUNS; run++) {
      a?.lab.close();
      a = openLab(join(dir, `bench-${run}.db`));
      const podsA = makePods('pod-', n);
      const created: KubeObject[] = [];
      t0 = performance.now();
      for (const p of podsA) created.push(a.client.create(p));
      a.lab.store.flush();
      groupRates.push(perSecond(n, performance.now() - t0));
      rawRates.push(rawInsertRate(join(dir, `raw-${run}.db`), created));
    }
    const main = a!;
    labs.push(main.lab);
    const groupRate = median(groupRates);
    const rawRate = median(rawRates);
    report(`API create, ${count} pods (group commit)`, groupRate, 'objects/s', `median of ${RUNS}`);
    report(
      `raw better-sqlite3 insert, ${count} rows, one transaction`,
      rawRate,
      'rows/s',
      `median of ${RUNS}`,
    );
    const ratio = (groupRate / rawRate) * 100;
    report(
      'API create / raw insert',
      ratio,
      '%',
      `(target ≥ ${RATIO_TARGET}%) ${verdict(ratio >= RATIO_TARGET)}`,
      1,
    );

    // 2. One commit per request: handle() flushes before answering.
    const b = openLab(join(dir, 'bench-per-request.db'));
    labs.push(b.lab);
    const podsB = makePods('pod-', n);
    t0 = performance.now();
    for (const body of podsB) {
      const res = b.lab.api.handle({
        method: 'POST',
        path: `/api/v1/namespaces/${NAMESPACE}/pods`,
        body,
        user: systemUser,
        cluster: SUPERVISOR,
      });
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const perRequestMs = performance.now() - t0;
    report(`API create, ${count} pods (flushed per request)`, perSecond(n, perRequestMs), 'objects/s');
    report('  total', perRequestMs, 'ms', '', 1);
    b.lab.close();

    // 4. List, as objects and as a Table: median of LIST_RUNS.
    const listMs: number[] = [];
    for (let i = 0; i < LIST_RUNS; i++) {
      t0 = performance.now();
      const list = main.client.list('pods', { namespace: NAMESPACE });
      listMs.push(performance.now() - t0);
      if (list.items.length !== n) throw new Error(`list returned ${list.items.length} pods, expected ${n}`);
    }
    const listMedian = median(listMs);
    report(
      `list ${count} pods`,
      listMedian,
      'ms',
      `median of ${LIST_RUNS} (target ≤ ${LIST_TARGET_MS} ms) ${verdict(listMedian <= LIST_TARGET_MS)}`,
      1,
    );
    const tableMs: number[] = [];
    for (let i = 0; i < LIST_RUNS; i++) {
      t0 = performance.now();
      const res = main.lab.api.handle({
        method: 'GET',
        path: `/api/v1/namespaces/${NAMESPACE}/pods`,
        user: systemUser,
        cluster: SUPERVISOR,
        accept: TABLE_ACCEPT,
      });
      tableMs.push(performance.now() - t0);
      const rowCount = (res.body as { rows?: unknown[] }).rows?.length;
      if (res.status !== 200 || rowCount !== n)
        throw new Error(`Table list failed: status ${res.status}, ${rowCount} rows, expected ${n}`);
    }
    report(`list ${count} pods as Table`, median(tableMs), 'ms', `median of ${LIST_RUNS}`, 1);

    // 5. Watch fan-out: WATCHERS watchers from the current resourceVersion, n more pods created.
    const received = new Array<number>(WATCHERS).fill(0);
    const rv = String(main.lab.store.currentRv());
    const watches = received.map((_, w) =>
      main.client.watch('pods', { namespace: NAMESPACE, resourceVersion: rv }, (_e: WatchEvent) => {
        received[w]!++;
      }),
    );
    const podsW = makePods('pod-b-', n);
    t0 = performance.now();
    for (const p of podsW) main.client.create(p);
    main.lab.store.flush();
    const watchMs = performance.now() - t0;
    for (const w of watches) w.dispose();
    const total = received.reduce((s, c) => s + c, 0);
    const allReceived = received.every((c) => c === n);
    report(
      'watch fan-out',
      perSecond(WATCHERS * n, watchMs),
      'events/s',
      `${WATCHERS} watchers × ${count} pods`,
    );
    report(
      '  events received',
      total,
      'events',
      allReceived
        ? `${count} per watcher PASS`
        : `expected ${count} per watcher, got ${received.join(', ')} FAIL`,
    );
  } finally {
    for (const lab of labs) lab.close();
  }
}

export default async function storeSuite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'supervisor-lab-bench-'));
  try {
    const warmup = join(dir, 'warmup');
    mkdirSync(warmup);
    measure(warmup, WARMUP_N, () => {});
    rmSync(warmup, { recursive: true, force: true });
    measure(dir, N, figure);
    figure('memory (rss)', process.memoryUsage().rss / 2 ** 20, 'MB', '', 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
