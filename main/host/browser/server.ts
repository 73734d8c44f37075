// Browser mode: serves the built renderer on 127.0.0.1 with a random access token in the URL, and runs
// the preload contract over a WebSocket at /ws. The socket is accepted only with the token (sent as the
// WebSocket subprotocol, so it never lands in a log line) and an Origin of this very server, which
// keeps other pages the browser has open from driving the lab.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsRequest, isMethod, type EngineEvent, type Method } from '../../../preload/contract';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** The renderer's policy: its own scripts and workers only, no remote content. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** What the WebSocket serves: the app engine's calls and events. */
export interface ContractHost {
  call(method: Method, input: unknown): Promise<unknown>;
  onEvent(listener: (e: EngineEvent) => void): () => void;
}

export interface BrowserServer {
  url: string;
  token: string;
  server: Server;
  close(): Promise<void>;
}

/** Prefix of the WebSocket subprotocol carrying the token. */
export const TOKEN_PROTOCOL = 'supervisor-lab.token.';

const sameToken = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'issues' in err && Array.isArray(err.issues))
    return `invalid request: ${(err.issues as { path: unknown[]; message: string }[])
      .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
      .join('; ')}`;
  return err instanceof Error ? err.message : String(err);
}

export async function startBrowserServer(o: {
  rendererDir: string;
  port?: number;
  host: ContractHost;
}): Promise<BrowserServer> {
  if (!existsSync(join(o.rendererDir, 'index.html'))) {
    throw new Error(`the renderer is not built (${o.rendererDir}/index.html missing): run "npm run build"`);
  }
  const token = randomBytes(16).toString('hex');
  let origins = new Set<string>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    const file = join(o.rendererDir, rel === '' ? 'index.html' : rel);
    if (!file.startsWith(o.rendererDir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': types[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'Cache-Control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 8 * 1024 * 1024,
    handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith(TOKEN_PROTOCOL)) ?? false,
  });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    const offered = protocols.find((p) => p.startsWith(TOKEN_PROTOCOL))?.slice(TOKEN_PROTOCOL.length) ?? '';
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== '/ws' || !origins.has(String(req.headers.origin)) || !sameToken(offered, token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, o.host));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  origins = new Set([origin, `http://localhost:${port}`]);
  return {
    url: `${origin}/#token=${token}`,
    token,
    server,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

function serve(ws: WebSocket, host: ContractHost): void {
  const stop = host.onEvent((event) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event }));
  });
  ws.on('close', stop);
  ws.on('message', (raw) => {
    let frame;
    try {
      frame = WsRequest.parse(JSON.parse(String(raw)));
    } catch {
      ws.close(1008, 'malformed frame');
      return;
    }
    const { id, method, input } = frame;
    if (!isMethod(method)) {
      ws.send(JSON.stringify({ id, ok: false, error: `unknown method ${method}` }));
      return;
    }
    host.call(method, input).then(
      (result) => ws.readyState === ws.OPEN && ws.send(JSON.stringify({ id, ok: true, result })),
      (err: unknown) =>
        ws.readyState === ws.OPEN && ws.send(JSON.stringify({ id, ok: false, error: errorText(err) })),
    );
  });
}
