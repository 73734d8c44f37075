// The typed contract between UI and engine, shared by the Electron preload and browser mode.

export interface AppInfo {
  name: string;
  version: string;
  lab: string;
  labTime: string;
}

export interface SupervisorLabBridge {
  info(): Promise<AppInfo>;
}
