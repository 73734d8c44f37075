// Main's start-up with `electron` mocked: the engine is forked as a utility process on the lab's path,
// the contract's channels are registered, a window opens, and quitting lets the engine close the lab.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ipcChannel, methods } from '../../../preload/contract';

const dir = mkdtempSync(join(tmpdir(), 'electron-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const h = vi.hoisted(() => ({
  appEvents: new Map<string, (...a: unknown[]) => unknown>(),
  channels: [] as string[],
  windows: 0,
  forks: [] as {
    module: string;
    args: string[];
    options: { execArgv?: string[] };
    child: { sent: unknown[]; events: Map<string, (...a: unknown[]) => void> };
  }[],
  exit: [] as number[],
  quit: 0,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { on: () => {}, setWindowOpenHandler: () => {} };
    constructor() {
      h.windows++;
    }
    loadURL() {
      return Promise.resolve();
    }
    static getAllWindows() {
      return [];
    }
  }
  return {
    app: {
      whenReady: () => Promise.resolve(),
      on: (e: string, f: (...a: unknown[]) => unknown) => h.appEvents.set(e, f),
      getPath: () => dir,
      exit: (c: number) => h.exit.push(c),
      quit: () => h.quit++,
    },
    BrowserWindow,
    Menu: { setApplicationMenu: () => {} },
    protocol: {
      registerSchemesAsPrivileged: () => {},
      handle: (scheme: string) => h.channels.push(`protocol:${scheme}`),
    },
    ipcMain: { handle: (ch: string) => h.channels.push(ch) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => {},
        setPermissionCheckHandler: () => {},
        webRequest: { onHeadersReceived: () => {}, onBeforeRequest: () => {} },
      },
    },
    utilityProcess: {
      fork: (module: string, args: string[], options: { execArgv?: string[] }) => {
        const child = {
          sent: [] as unknown[],
          events: new Map<string, (...a: unknown[]) => void>(),
          postMessage(m: unknown) {
            this.sent.push(m);
          },
          on(e: string, f: (...a: unknown[]) => void) {
            this.events.set(e, f);
            return this;
          },
          once(e: string, f: (...a: unknown[]) => void) {
            this.events.set(`once:${e}`, f);
            return this;
          },
        };
        h.forks.push({ module, args, options, child });
        return child;
      },
    },
  };
});

describe('the Electron main process at start', () => {
  it('forks the engine on the lab, serves the contract to the window, and quits through the engine', async () => {
    process.argv.push('--data-dir', dir);
    await import('../../../main/host/electron/index');
    await new Promise((r) => setTimeout(r, 10));
    expect(h.forks).toHaveLength(1);
    const fork = h.forks[0]!;
    expect(fork.module).toMatch(/engine\.js$/);
    expect(fork.args[0]).toBe(join(dir, 'labs', 'default.db'));
    // the engine's heap, as main/host/engineHeap.ts sets it for every host
    expect(fork.options.execArgv).toEqual(['--max-semi-space-size=64']);
    expect(h.channels.sort()).toEqual(
      [...Object.keys(methods).map((m) => ipcChannel(m as never)), 'protocol:app'].sort(),
    );
    expect(h.windows).toBe(1);
    // the engine reports ready; quitting asks it to close the lab, and the app goes when it has
    fork.child.events.get('message')!({ ready: true });
    await new Promise((r) => setTimeout(r, 10));
    let prevented = false;
    h.appEvents.get('before-quit')!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(fork.child.sent).toContainEqual({ quit: true });
    fork.child.events.get('once:exit')!(0);
    expect(h.quit).toBe(1);
  });
});
