// The Electron main process: one window, hardened, loading the renderer; the engine opens the lab
// with better-sqlite3 built for Electron's ABI (see main/store/nativeBinding.ts).
import { app, BrowserWindow, ipcMain, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeBindingForRuntime } from '../../store/nativeBinding';
import { Lab } from '../../sim/lab';
import { appRoot, appVersion } from '../appInfo';
import { labPath, resolveDataDir } from '../dataDir';
import { defaultScenario } from '../scenarios';
import { startEndpoint } from '../endpoint/server';
import { labTls } from '../endpoint/tls';

const here = dirname(fileURLToPath(import.meta.url));

function argValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

const dataDirArg = (argv: string[]) => argValue(argv, '--data-dir');

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Supervisor Lab',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(here, '../renderer/index.html'));
  return win;
}

export function start(): void {
  let lab: Lab | undefined;
  app.whenReady().then(
    async () => {
      const dataDir = resolveDataDir({
        dataDir: dataDirArg(process.argv),
        electronUserData: app.getPath('userData'),
      });
      const path = labPath(dataDir);
      lab = Lab.open({
        path,
        nativeBinding: nativeBindingForRuntime(appRoot),
        wall: () => Date.now(),
        clock: { kind: 'realtime', speed: 1 },
        scenario: defaultScenario(),
      });
      const current = lab;
      const ticker = setInterval(() => current.settle(), 250);
      // The Kubernetes API for the learner's own kubectl, as `lab serve` offers it. Settings:
      // --api-port N (default 6443) and --no-api-endpoint, or SUPERVISOR_LAB_API_ENDPOINT=off.
      const apiOff =
        process.argv.includes('--no-api-endpoint') || process.env.SUPERVISOR_LAB_API_ENDPOINT === 'off';
      const endpoint = apiOff
        ? undefined
        : await labTls(current.store, 'default').then((tls) =>
            startEndpoint(current, tls, Number(argValue(process.argv, '--api-port') ?? 6443)).catch(
              (err: unknown) => {
                console.error(
                  `Kubernetes API endpoint not started: ${err instanceof Error ? err.message : String(err)}`,
                );
                return undefined;
              },
            ),
          );
      ipcMain.handle('app:info', (event) => {
        if (event.senderFrame?.url && !/^(file:|http:\/\/localhost)/.test(event.senderFrame.url))
          throw new Error('unexpected sender');
        return {
          name: 'Supervisor Lab',
          version: appVersion,
          lab: path,
          labTime: current.clock.now().toISOString(),
        };
      });
      app.on('before-quit', () => {
        void endpoint?.close();
        clearInterval(ticker);
        current.close();
      });
      createMainWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
      });
    },
    (err: unknown) => {
      console.error(err);
      app.exit(1);
    },
  );
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

start();
