// The contract as the renderer sees it: in Electron the preload's bridge; in browser mode the same
// contract over a WebSocket to the server that served this page, with the token from the URL.
import {
  EngineEvent,
  WsMessage,
  methods,
  type Input,
  type Method,
  type Output,
  type SupervisorLabBridge,
} from '../../../preload/contract';

declare global {
  interface Window {
    supervisorLab?: SupervisorLabBridge;
  }
}

const TOKEN_PROTOCOL = 'supervisor-lab.token.';

/** Browser mode's connection: up or down (the server stopped, the network between went away). */
const connection = new Set<(up: boolean) => void>();
export function onConnectionChange(listener: (up: boolean) => void): () => void {
  connection.add(listener);
  return () => connection.delete(listener);
}
const announce = (up: boolean) => {
  for (const l of connection) l(up);
};

/** Browser mode: one socket, reconnected when it drops; calls made meanwhile wait for it. */
function webSocketBridge(token: string): SupervisorLabBridge {
  let socket: WebSocket | undefined;
  let ready: Promise<WebSocket> | undefined;
  let next = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; method: Method }>();
  const listeners = new Set<(e: EngineEvent) => void>();
  const connect = (): Promise<WebSocket> => {
    if (ready) return ready;
    ready = new Promise((resolve, reject) => {
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
      const ws = new WebSocket(url, [`${TOKEN_PROTOCOL}${token}`]);
      ws.onopen = () => {
        socket = ws;
        announce(true);
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('the lab refused the connection: open the URL the server printed'));
      ws.onclose = () => {
        if (socket === ws) announce(false);
        socket = undefined;
        ready = undefined;
        for (const [, p] of pending) p.reject(new Error('the connection to the lab closed'));
        pending.clear();
        // a reconnect brings events back (terminal output resumes on reattach)
        if (listeners.size) setTimeout(() => void connect().catch(() => undefined), 1000);
      };
      ws.onmessage = (m) => {
        const parsed = WsMessage.safeParse(JSON.parse(String(m.data)));
        if (!parsed.success) return;
        const msg = parsed.data;
        if ('event' in msg) {
          const e = EngineEvent.safeParse(msg.event);
          if (e.success) for (const l of listeners) l(e.data);
          return;
        }
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.ok) {
          const out = methods[p.method].output.safeParse(msg.result);
          if (out.success) p.resolve(out.data);
          else p.reject(new Error(`the lab answered ${p.method} with something unexpected`));
        } else p.reject(new Error(msg.error));
      };
    });
    return ready;
  };
  return {
    async call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      const checked = methods[method].input.parse(input);
      const ws = socket ?? (await connect());
      const id = next++;
      return new Promise<Output<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
        ws.send(JSON.stringify({ id, method, input: checked }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  };
}

let instance: SupervisorLabBridge | undefined;

export function bridge(): SupervisorLabBridge {
  if (instance) return instance;
  if (window.supervisorLab) return (instance = window.supervisorLab);
  const hash = new URLSearchParams(location.hash.slice(1));
  const token = hash.get('token') ?? sessionStorage.getItem('supervisor-lab.token') ?? '';
  // keep the token for reloads, off the address bar
  if (token) sessionStorage.setItem('supervisor-lab.token', token);
  return (instance = webSocketBridge(token));
}

export const call = <M extends Method>(method: M, input: Input<M>): Promise<Output<M>> =>
  bridge().call(method, input);
