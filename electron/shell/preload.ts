/**
 * The preload: one typed API (`window.crucible`, DesktopBridge) exposed through contextBridge.
 * Built by esbuild into ONE CommonJS file (dist/electron/shell/preload.cjs): a sandboxed preload
 * cannot be an ES module. It only forwards; main validates every message against the contract.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC } from '../../common/contract/ipc-channels.js';
import type { DesktopBridge } from '../../common/contract/desktop.js';

function subscribe(channel: string, listener: (message: unknown) => void): () => void {
  const wrapped = (_e: IpcRendererEvent, message: unknown): void => listener(message);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const bridge: DesktopBridge = {
  host: 'desktop',
  service: (request) => ipcRenderer.invoke(IPC.service, request),
  desktop: (request) => ipcRenderer.invoke(IPC.desktop, request),
  onEvents: (listener) => subscribe(IPC.events, listener),
  onMenu: (listener) => subscribe(IPC.menu, listener),
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('crucible', bridge);
