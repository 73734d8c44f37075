// The lab engine in Electron's utility process: opens the lab (better-sqlite3 built for Electron's ABI),
// runs the clock, the app engine behind the contract and the Kubernetes API endpoint, and serves the
// main process over process.parentPort. Arguments: the lab's path, then the app's own flags.
import { nativeBindingForRuntime } from '../../store/nativeBinding';
import { Lab } from '../../sim/lab';
import { appRoot, appVersion } from '../appInfo';
import { defaultScenario, shippedScenarios } from '../scenarios';
import { startEndpoint } from '../endpoint/server';
import { labTls } from '../endpoint/tls';
import { AppEngine } from '../app/engine';
import { serveEngine, type ParentPortLike } from './engineChannel';
import { tuneEngineHeap } from '../engineHeap';

const port = (process as unknown as { parentPort: ParentPortLike }).parentPort;

async function main(): Promise<void> {
  tuneEngineHeap();
  const [path, ...flags] = process.argv.slice(2);
  if (!path) throw new Error('the engine needs the lab path');
  const flag = (name: string) => {
    const i = flags.indexOf(name);
    return i >= 0 ? flags[i + 1] : flags.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  const lab = Lab.open({
    path,
    nativeBinding: nativeBindingForRuntime(appRoot),
    wall: () => Date.now(),
    clock: { kind: 'realtime', speed: 1 },
    scenario: defaultScenario(),
  });
  const engine = new AppEngine({ lab, labPath: path, version: appVersion, scenarios: shippedScenarios });
  const ticker = setInterval(() => {
    lab.settle();
    engine.poll();
  }, 250);
  // The Kubernetes API for the learner's own kubectl, as `lab serve` offers it. Settings:
  // --api-port N (default 6443) and --no-api-endpoint, or SUPERVISOR_LAB_API_ENDPOINT=off.
  const apiOff = flags.includes('--no-api-endpoint') || process.env.SUPERVISOR_LAB_API_ENDPOINT === 'off';
  const endpoint = apiOff
    ? undefined
    : await labTls(lab.store, 'default').then((tls) =>
        startEndpoint(lab, tls, Number(flag('--api-port') ?? 6443)).catch((err: unknown) => {
          console.error(
            `Kubernetes API endpoint not started: ${err instanceof Error ? err.message : String(err)}`,
          );
          return undefined;
        }),
      );
  serveEngine(port, engine, () => {
    clearInterval(ticker);
    void Promise.resolve(endpoint?.close()).finally(() => {
      lab.close();
      process.exit(0);
    });
  });
}

main().catch((err: unknown) => {
  port.postMessage({ failed: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
