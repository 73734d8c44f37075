// The bridge between the renderer and the engine: a small typed contract exposed with contextBridge.
// The desktop-app issue grows it (terminal sessions, queries, watches, files, lab control).
import { contextBridge, ipcRenderer } from 'electron';
import type { AppInfo, SupervisorLabBridge } from './contract';

const bridge: SupervisorLabBridge = {
  info: () => ipcRenderer.invoke('app:info') as Promise<AppInfo>,
};

contextBridge.exposeInMainWorld('supervisorLab', bridge);
