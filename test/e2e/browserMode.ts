// End-to-end helpers: `npm run lab -- serve` in browser mode on a fresh lab with the stepped clock,
// and Debian's Chromium driven by playwright-core. Tests skip, saying why, where Chromium is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
const root = join(import.meta.dirname, '..', '..');

export interface Served {
  url: string;
  dataDir: string;
  child: ChildProcess;
  close(): Promise<void>;
}

/**
 * Starts browser mode as a learner would, on a new lab, and waits for its URL: `npm run lab -- serve`
 * (the CLI through tsx), or with `built` the prebuilt CLI that `npm start` falls back to.
 */
export async function serve(
  args: string[] = ['--speed', 'stepped'],
  o: { built?: boolean } = {},
): Promise<Served> {
  if (!existsSync(join(root, 'out', 'renderer', 'index.html')))
    throw new Error('the renderer is not built: run "npm run build" first (npm test does)');
  const dataDir = mkdtempSync(join(tmpdir(), 'supervisor-lab-e2e-'));
  const child = spawn(
    process.execPath,
    [
      ...(o.built
        ? [join(root, 'out', 'main', 'cli.js')]
        : [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'main', 'host', 'cli.ts')]),
      'serve',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--api-port',
      '0',
      ...args,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  // a server outlives no test run: killed when this process exits, whatever way the tests ended
  const reap = () => child.exitCode === null && child.kill('SIGTERM');
  process.once('exit', reap);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not print its URL in 60 s:\n${out}\n${err}`)),
      60_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /browser mode: +(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}\n${err}`));
    });
  }).catch((e: unknown) => {
    reap();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  });
  return {
    url,
    dataDir,
    child,
    close: async () => {
      process.off('exit', reap);
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The text the active terminal shows (xterm's rows, as a learner reads them). */
export async function terminalText(page: Page): Promise<string> {
  return page.locator('[data-testid="terminal"] .xterm-rows').innerText();
}

/** Types a command line into the terminal and waits for the prompt to come back after it. */
export async function runInTerminal(page: Page, line: string, expectText: string | RegExp, timeout = 30_000) {
  await page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await page
    .waitForFunction(
      ([src, flags]) => {
        const text = document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? '';
        return new RegExp(src!, flags).test(text);
      },
      typeof expectText === 'string'
        ? [expectText.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), '']
        : [expectText.source, expectText.flags],
      { timeout },
    )
    .catch(async (err: unknown) => {
      // what the learner would have seen, for the failure report
      await shot(page, `failed-${line.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 40)}`).catch(() => undefined);
      throw err;
    });
}
