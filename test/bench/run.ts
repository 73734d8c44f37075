// The benchmark runner: `npm run bench` runs every suite, `npm run bench -- store drs` only the named
// ones, in the order given. Each suite is a module in test/bench/ that prints its own figures; it is
// loaded only when it runs. To add a suite, add one line to the map below. Each suite runs in a process
// of its own, as the engine does in the app, so no suite's heap or timing depends on the ones before it.
import { spawnSync } from 'node:child_process';
import { ENGINE_NODE_FLAGS, tuneEngineHeap } from '../../main/host/engineHeap';

/** the flag a suite's own process is started with */
const ONE = '--suite-process';

type Suite = () => Promise<void>;

const suites: Record<string, Suite> = {
  store: () => import('./store').then((m) => m.default()),
  drs: () => import('./drs').then((m) => m.default()),
  endpoint: () => import('./endpoint').then((m) => m.default()),
  shell: () => import('./shell').then((m) => m.default()),
  pods: () => import('./pods').then((m) => m.default()),
  ui: () => import('./ui').then((m) => m.default()),
  tkc: () => import('./tkc').then((m) => m.default()),
};

async function main(args: readonly string[]): Promise<number> {
  const known = Object.keys(suites);
  const unknown = args.filter((a) => !Object.hasOwn(suites, a));
  if (unknown.length > 0) {
    console.error(`unknown suite${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
    console.error(`known suites: ${known.join(', ')}`);
    return 2;
  }
  const selected = args.length > 0 ? [...new Set(args)] : known;
  let failed = 0;
  for (const [i, name] of selected.entries()) {
    if (i > 0) console.log('');
    console.log(`=== ${name} ===`);
    // this script again (with tsx's loader, in execArgv) for one suite, with the engine's Node options
    const args = [...ENGINE_NODE_FLAGS, ...process.execArgv, process.argv[1]!, ONE, name];
    const r = spawnSync(process.execPath, args, {
      stdio: 'inherit',
    });
    if (r.status !== 0) {
      failed++;
      console.error(`suite ${name} failed (${r.error?.message ?? r.signal ?? `exit ${r.status}`})`);
    }
  }
  return failed > 0 ? 1 : 0;
}

/** One suite, in this process. */
async function one(name: string): Promise<number> {
  // the engine's heap as the app runs it (main/host/engineHeap.ts)
  tuneEngineHeap();
  try {
    await suites[name]!();
    return 0;
  } catch (err) {
    console.error(`suite ${name} failed:`, err);
    return 1;
  }
}

const argv = process.argv.slice(2);
void (argv[0] === ONE ? one(argv[1]!) : main(argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
