// The contract over Electron IPC: one handler per contract method, nothing else. A call is served only
// from the app's own window and top frame loading the app's own pages; its input is checked against the
// contract (again, after the preload) before the engine sees it.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, ipcChannel, methods, type Method } from '../../../preload/contract';
import type { ContractHost } from '../browser/server';
import { APP_HOST, APP_SCHEME } from './appProtocol';

/** The app's own pages: the built renderer on app://renderer/, or the dev server electron-vite starts. */
export function trustedUrl(url: string, devServer?: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === `${APP_SCHEME}:`) return u.host === APP_HOST && u.pathname === '/index.html';
  return Boolean(devServer) && u.origin === new URL(devServer!).origin;
}

export function registerContract(
  ipc: Pick<IpcMain, 'handle'>,
  host: ContractHost,
  o: { isAppWindow(sender: WebContents): boolean; devServer?: string },
): void {
  for (const method of Object.keys(methods) as Method[]) {
    ipc.handle(ipcChannel(method), async (event: IpcMainInvokeEvent, input: unknown) => {
      const frame = event.senderFrame;
      if (
        !o.isAppWindow(event.sender) ||
        !frame ||
        frame.parent !== null ||
        !trustedUrl(frame.url, o.devServer)
      )
        throw new Error('refused: not the app window');
      return host.call(method, input);
    });
  }
}

/** Engine events go to the app's windows only. */
export function forwardEvents(host: ContractHost, windows: () => WebContents[]): () => void {
  return host.onEvent((e) => {
    for (const w of windows()) if (!w.isDestroyed()) w.send(IPC_EVENT_CHANNEL, e);
  });
}
