// The Electron main process: thin — one hardened window loading the renderer, the menu and the app's
// lifecycle. The lab engine (simulation, app engine, Kubernetes API endpoint) runs in a utility process
// (engineProcess.ts), so the window never waits on it; the contract's IPC channels forward to it.
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  protocol,
  session,
  utilityProcess,
  type WebContents,
} from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labPath, resolveDataDir } from '../dataDir';
import { ENGINE_NODE_FLAGS } from '../engineHeap';
import { CSP } from '../browser/server';
import { APP_SCHEME, APP_URL, handleAppScheme, registerAppScheme } from './appProtocol';
import { engineClient, type EngineProcessLike } from './engineChannel';
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
  void win.loadURL(devServer ?? APP_URL);
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
      details.url.startsWith(`${APP_SCHEME}:`) ||
      details.url.startsWith('devtools:') ||
      (devServer && details.url.startsWith(devServer));
    callback({ cancel: !local && !details.url.startsWith('data:') && !details.url.startsWith('blob:') });
  });
}

export function start(): void {
  registerAppScheme(protocol);
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
  app.whenReady().then(
    async () => {
      hardenSession();
      handleAppScheme(protocol, join(here, '..', 'renderer'));
      Menu.setApplicationMenu(null);
      const dataDir = resolveDataDir({
        dataDir: argValue(process.argv, '--data-dir'),
        electronUserData: app.getPath('userData'),
      });
      const path = labPath(dataDir, argValue(process.argv, '--lab'));
      const child = utilityProcess.fork(join(here, 'engine.js'), [path, ...process.argv.slice(1)], {
        serviceName: 'Supervisor Lab engine',
        stdio: 'inherit',
        execArgv: [...ENGINE_NODE_FLAGS],
      });
      const engine = engineClient(child as unknown as EngineProcessLike);
      registerContract(ipcMain, engine, { isAppWindow: (wc) => windows.has(wc), devServer });
      const stopEvents = forwardEvents(engine, () => [...windows]);
      createMainWindow();
      await engine.ready;
      // the engine saves the lab and closes it before the app goes
      let quitting = false;
      app.on('before-quit', (e) => {
        if (quitting) return;
        quitting = true;
        e.preventDefault();
        stopEvents();
        const force = setTimeout(() => app.exit(0), 5000);
        child.once('exit', () => {
          clearTimeout(force);
          app.quit();
        });
        engine.quit();
      });
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
