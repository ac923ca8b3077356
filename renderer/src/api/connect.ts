/** Pick the transport: the Electron preload when present, else the web host's WebSocket. */
import type { DesktopBridge } from '../../../common/contract/desktop.js';
import type { ServiceClient } from './client.js';
import { IpcClient } from './ipc-client.js';
import { WsClient } from './ws-client.js';

declare global {
  interface Window {
    crucible?: DesktopBridge;
  }
}

export function connect(): ServiceClient {
  if (window.crucible) return new IpcClient(window.crucible);
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return new WsClient(`${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`);
}
