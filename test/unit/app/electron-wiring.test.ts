// Main's wiring with `electron` mocked: the window is hardened, navigation and window.open are denied,
// and IPC serves exactly the contract's channels, only to the app's own window, validating input.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannel, methods } from '../../../preload/contract';

const created: { options: Record<string, unknown>; handlers: Map<string, (...a: unknown[]) => unknown> }[] =
  [];
const ipcHandlers = new Map<string, (...a: unknown[]) => unknown>();

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: {
      on: (e: string, f: (...a: unknown[]) => unknown) => void;
      setWindowOpenHandler: (f: unknown) => void;
    };
    constructor(options: Record<string, unknown>) {
      const handlers = new Map<string, (...a: unknown[]) => unknown>();
      this.webContents = {
        on: (e, f) => handlers.set(e, f),
        setWindowOpenHandler: (f) => handlers.set('window-open', f as (...a: unknown[]) => unknown),
      };
      created.push({ options, handlers });
    }
    loadFile() {
      return Promise.resolve();
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
      whenReady: () => new Promise(() => {}),
      on: vi.fn(),
      getPath: () => '/tmp',
      exit: vi.fn(),
      quit: vi.fn(),
    },
    BrowserWindow,
    Menu: { setApplicationMenu: vi.fn() },
    ipcMain: { handle: (ch: string, f: (...a: unknown[]) => unknown) => ipcHandlers.set(ch, f) },
    session: { defaultSession: {} },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    utilityProcess: { fork: vi.fn() },
  };
});

describe('the Electron main process', () => {
  beforeEach(() => {
    created.length = 0;
    ipcHandlers.clear();
  });

  it('opens a sandboxed, context-isolated window without Node, and denies new windows and navigation away', async () => {
    const { createMainWindow } = await import('../../../main/host/electron/index');
    createMainWindow();
    const w = created[0]!;
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect((w.handlers.get('window-open')!() as { action: string }).action).toBe('deny');
    const nav = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    w.handlers.get('will-navigate')!(nav, 'https://example.com/');
    expect(nav.prevented).toBe(true);
    const local = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    w.handlers.get('will-navigate')!(local, 'app://renderer/index.html');
    expect(local.prevented).toBe(false);
  });

  it('serves one IPC channel per contract method, to the app window only, with checked input', async () => {
    const { registerContract } = await import('../../../main/host/electron/ipc');
    const calls: [string, unknown][] = [];
    const appWindow = { id: 1 };
    registerContract(
      { handle: (ch: string, f: (...a: unknown[]) => unknown) => ipcHandlers.set(ch, f) } as never,
      {
        call: async (m, input) => {
          calls.push([m, methods[m].input.parse(input)]);
          return { ok: true };
        },
        onEvent: () => () => {},
      },
      { isAppWindow: (wc) => wc === (appWindow as never) },
    );
    expect([...ipcHandlers.keys()].sort()).toEqual(
      Object.keys(methods)
        .map((m) => ipcChannel(m as never))
        .sort(),
    );
    const frame = { url: 'app://renderer/index.html', parent: null };
    const handler = ipcHandlers.get(ipcChannel('terminal.input'))!;
    await handler({ sender: appWindow, senderFrame: frame }, { id: 't1', data: 'ls\r' });
    expect(calls).toEqual([['terminal.input', { id: 't1', data: 'ls\r' }]]);
    // another window, a sub-frame or a page from elsewhere is refused
    await expect(handler({ sender: { id: 2 }, senderFrame: frame }, { id: 't1', data: 'x' })).rejects.toThrow(
      /refused/,
    );
    await expect(
      handler({ sender: appWindow, senderFrame: { ...frame, parent: {} } }, { id: 't1', data: 'x' }),
    ).rejects.toThrow(/refused/);
    await expect(
      handler(
        { sender: appWindow, senderFrame: { url: 'https://evil.example/', parent: null } },
        { id: 't1', data: 'x' },
      ),
    ).rejects.toThrow(/refused/);
    // input that breaks the contract never reaches the engine
    await expect(handler({ sender: appWindow, senderFrame: frame }, { id: 5 })).rejects.toThrow();
    expect(calls).toHaveLength(1);
  });
});
