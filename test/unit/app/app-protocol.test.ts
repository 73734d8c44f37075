// The renderer's app:// scheme: the built renderer's files with the CSP, nothing outside them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_URL, serveAppRequest } from '../../../main/host/electron/appProtocol';
import { trustedUrl } from '../../../main/host/electron/ipc';

const dir = mkdtempSync(join(tmpdir(), 'app-protocol-'));
const renderer = join(dir, 'renderer');
mkdirSync(join(renderer, 'assets'), { recursive: true });
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>app</title>');
writeFileSync(join(renderer, 'assets', 'x.js'), 'export {}');
writeFileSync(join(dir, 'secret.txt'), 'not for the page');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the app:// scheme', () => {
  it('serves the renderer with its CSP and types', async () => {
    const page = await serveAppRequest(renderer, APP_URL);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const js = await serveAppRequest(renderer, 'app://renderer/assets/x.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('reaches nothing outside the renderer, and no other host', async () => {
    expect((await serveAppRequest(renderer, 'app://renderer/../secret.txt')).status).toBe(404);
    expect((await serveAppRequest(renderer, 'app://renderer/%2e%2e/secret.txt')).status).toBe(404);
    expect((await serveAppRequest(renderer, 'app://renderer/..%2fsecret.txt')).status).toBe(404);
    expect((await serveAppRequest(renderer, 'app://other/index.html')).status).toBe(404);
    expect((await serveAppRequest(renderer, 'app://renderer/missing.js')).status).toBe(404);
  });

  it('trusts only the app page (and the dev server when there is one)', () => {
    expect(trustedUrl(APP_URL)).toBe(true);
    expect(trustedUrl('app://renderer/other.html')).toBe(false);
    expect(trustedUrl('file:///etc/index.html')).toBe(false);
    expect(trustedUrl('https://example.com/')).toBe(false);
    expect(trustedUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(trustedUrl('not a url')).toBe(false);
  });
});
