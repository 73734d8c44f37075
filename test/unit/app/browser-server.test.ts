// Browser mode's WebSocket: the contract is served only with the URL's token and this server's Origin;
// frames and inputs that break the contract are refused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { methods, type EngineEvent, type Method } from '../../../preload/contract';
import { startBrowserServer, TOKEN_PROTOCOL, type BrowserServer } from '../../../main/host/browser/server';

let dir: string;
let server: BrowserServer;
let listener: ((e: EngineEvent) => void) | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'renderer-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  server = await startBrowserServer({
    rendererDir: dir,
    host: {
      async call(method: Method, input: unknown) {
        methods[method].input.parse(input);
        if (method === 'info') return { name: 'Supervisor Lab', version: '1', lab: 'x', labTime: 't' };
        return { ok: true };
      },
      onEvent(l) {
        listener = l;
        return () => (listener = undefined);
      },
    },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const origin = () => new URL(server.url).origin;
const wsUrl = () => `ws://${new URL(server.url).host}/ws`;

function connect(token: string, o: { origin?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(), [`${TOKEN_PROTOCOL}${token}`], { origin: o.origin ?? origin() });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function request(ws: WebSocket, frame: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (d) => resolve(JSON.parse(String(d))));
    ws.send(JSON.stringify(frame));
  });
}

describe('browser mode', () => {
  it('serves the renderer on 127.0.0.1 with a strict CSP and a token in the URL', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{32}$/);
    const res = await fetch(origin());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("object-src 'none'");
    expect((await fetch(`${origin()}/../../etc/passwd`)).status).toBe(404);
  });

  it('refuses the socket without the token or from another origin', async () => {
    await expect(connect('wrong')).rejects.toThrow(/403/);
    await expect(connect(server.token, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });

  it('answers contract calls, refuses unknown methods and bad input, and pushes events', async () => {
    const ws = await connect(server.token);
    expect(await request(ws, { id: 1, method: 'info', input: {} })).toMatchObject({
      id: 1,
      ok: true,
      result: { name: 'Supervisor Lab' },
    });
    expect(await request(ws, { id: 2, method: 'shell.exec', input: {} })).toEqual({
      id: 2,
      ok: false,
      error: 'unknown method shell.exec',
    });
    expect(await request(ws, { id: 3, method: 'terminal.input', input: { id: 1 } })).toMatchObject({
      id: 3,
      ok: false,
      error: expect.stringMatching(/^invalid request: /),
    });
    const got = new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    listener!({ type: 'lab.changed', rv: '7', clock: 'now', session: 'abc' });
    expect(await got).toEqual({ event: { type: 'lab.changed', rv: '7', clock: 'now', session: 'abc' } });
    ws.close();
  });
});
