// The Electron preload: exposes the contract through contextBridge. Only the contract's methods cross,
// each input checked against its schema before it leaves and each answer and event checked on arrival.
import { contextBridge, ipcRenderer } from 'electron';
import {
  EngineEvent,
  IPC_EVENT_CHANNEL,
  ipcChannel,
  isMethod,
  methods,
  type SupervisorLabBridge,
} from './contract';

const bridge: SupervisorLabBridge = {
  async call(method, input) {
    if (!isMethod(method)) throw new Error(`unknown method ${String(method)}`);
    const spec = methods[method];
    const checked = spec.input.parse(input);
    const result: unknown = await ipcRenderer.invoke(ipcChannel(method), checked);
    return spec.output.parse(result) as never;
  },
  onEvent(listener) {
    const handler = (_e: unknown, payload: unknown) => {
      const parsed = EngineEvent.safeParse(payload);
      if (parsed.success) listener(parsed.data);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('supervisorLab', bridge);
