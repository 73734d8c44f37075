// The engine runs in an Electron utility process, so the window never waits on the simulation. This is
// the channel between the two: the main process's side is a ContractHost (what the IPC handlers call),
// the utility process's side serves an AppEngine. Calls carry an id; events flow back unasked.
import type { EngineEvent, Method } from '../../../preload/contract';
import type { ContractHost } from '../browser/server';

export type ToEngine = { id: number; method: Method; input: unknown } | { quit: true };
export type FromEngine =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string }
  | { event: EngineEvent }
  | { ready: true }
  | { failed: string };

/** What the main process holds of the utility process (Electron's UtilityProcess has this shape). */
export interface EngineProcessLike {
  postMessage(message: ToEngine): void;
  on(event: 'message', listener: (message: FromEngine) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

/** The main process's view of the engine: calls go to the utility process, answers and events come back. */
export function engineClient(
  child: EngineProcessLike,
): ContractHost & { ready: Promise<void>; quit(): void } {
  let next = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Set<(e: EngineEvent) => void>();
  let markReady: () => void = () => {};
  let markFailed: (e: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  child.on('message', (m) => {
    if ('ready' in m) markReady();
    else if ('failed' in m) markFailed(new Error(m.failed));
    else if ('event' in m) for (const l of listeners) l(m.event);
    else {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    }
  });
  child.on('exit', (code) => {
    const err = new Error(`the lab engine stopped (exit code ${code})`);
    markFailed(err);
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  return {
    ready,
    async call(method, input) {
      // the engine takes calls once it has opened the lab
      await ready;
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.postMessage({ id, method, input });
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    quit: () => child.postMessage({ quit: true }),
  };
}

/** What the utility process holds of its parent (Electron's process.parentPort has this shape). */
export interface ParentPortLike {
  postMessage(message: FromEngine): void;
  on(event: 'message', listener: (e: { data: ToEngine }) => void): unknown;
}

/** The utility process's side: serves calls on the engine, forwards its events, quits when told. */
export function serveEngine(port: ParentPortLike, host: ContractHost, quit: () => void): void {
  host.onEvent((event) => port.postMessage({ event }));
  port.on('message', ({ data }) => {
    if ('quit' in data) return quit();
    const { id, method, input } = data;
    host.call(method, input).then(
      (result) => port.postMessage({ id, ok: true, result }),
      (err: unknown) =>
        port.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
  port.postMessage({ ready: true });
}
