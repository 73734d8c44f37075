// The Electron main process: one hardened window loading the renderer, the app engine behind the
// contract's IPC channels, the lab's Kubernetes API endpoint. The engine opens the lab with
// better-sqlite3 built for Electron's ABI (see main/store/nativeBinding.ts).
import { app, BrowserWindow, ipcMain, Menu, session, type WebContents } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeBindingForRuntime } from '../../store/nativeBinding';
import { Lab } from '../../sim/lab';
import { appRoot, appVersion } from '../appInfo';
import { labPath, resolveDataDir } from '../dataDir';
import { defaultScenario, shippedScenarios } from '../scenarios';
import { startEndpoint } from '../endpoint/server';
import { labTls } from '../endpoint/tls';
import { AppEngine } from '../app/engine';
import { CSP } from '../browser/server';
import { forwardEvents, registerContract, trustedUrl } from './ipc';

const here = dirname(fileURLToPath(import.meta.url));
const devServer = process.env.ELECTRON_RENDERER_URL;
const windows = new Set<WebContents>();

function argValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Supervisor Lab',
    show: true,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // a middle click must not open a window either
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const contents = win.webContents;
  windows.add(contents);
  contents.on('destroyed', () => windows.delete(contents));
  // no new windows, no navigation away from the app, no webviews
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (e, url) => {
    if (!trustedUrl(url, devServer)) e.preventDefault();
  });
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  if (devServer) void win.loadURL(devServer);
  else void win.loadFile(join(here, '../renderer/index.html'));
  return win;
}

/** The session's policy: the CSP on every response, no permission granted, nothing fetched from afar. */
function hardenSession(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  s.webRequest.onBeforeRequest((details, callback) => {
    const local =
      details.url.startsWith('file:') ||
      details.url.startsWith('devtools:') ||
      (devServer && details.url.startsWith(devServer));
    callback({ cancel: !local && !details.url.startsWith('data:') && !details.url.startsWith('blob:') });
  });
}

export function start(): void {
  let lab: Lab | undefined;
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
  app.whenReady().then(
    async () => {
      hardenSession();
      Menu.setApplicationMenu(null);
      const dataDir = resolveDataDir({
        dataDir: argValue(process.argv, '--data-dir'),
        electronUserData: app.getPath('userData'),
      });
      const path = labPath(dataDir, argValue(process.argv, '--lab'));
      lab = Lab.open({
        path,
        nativeBinding: nativeBindingForRuntime(appRoot),
        wall: () => Date.now(),
        clock: { kind: 'realtime', speed: 1 },
        scenario: defaultScenario(),
      });
      const current = lab;
      const engine = new AppEngine({
        lab: current,
        labPath: path,
        version: appVersion,
        scenarios: shippedScenarios,
      });
      registerContract(ipcMain, engine, { isAppWindow: (wc) => windows.has(wc), devServer });
      const stopEvents = forwardEvents(engine, () => [...windows]);
      const ticker = setInterval(() => {
        current.settle();
        engine.poll();
      }, 250);
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
      app.on('before-quit', () => {
        void endpoint?.close();
        clearInterval(ticker);
        stopEvents();
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
