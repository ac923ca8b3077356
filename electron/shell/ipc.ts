/**
 * The IPC adapter over the service: every request is checked for its sender (our window, our page)
 * and validated against the contract; results are validated on the way out; events are batched.
 */
import { ipcMain, shell, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { stat } from 'node:fs/promises';
import { API } from '../../common/contract/api.js';
import { DESKTOP_API, IPC, type DesktopMethod } from '../../common/contract/desktop.js';
import { parseRequest, RequestEnvelopeSchema, type ServerMessage } from '../../common/contract/wire.js';
import type { Service } from '../service/create-service.js';
import { createEventBatcher } from '../service/event-batcher.js';
import { toServiceError } from '../service/service-error.js';
import { openDialog, saveDialog } from './dialogs.js';

export interface IpcOptions {
  service: Service;
  window: () => BrowserWindow | null;
  /** The page's own URL (crucible://app/index.html, app-protocol.ts): only it may call. */
  pageUrl: string;
  setRecent: (paths: string[]) => void;
}

function trusted(event: IpcMainInvokeEvent, o: IpcOptions): boolean {
  const win = o.window();
  const frameUrl = event.senderFrame?.url ?? '';
  return !!win && event.sender === win.webContents && event.senderFrame === win.webContents.mainFrame && frameUrl.split('#')[0].split('?')[0] === o.pageUrl;
}

const refused = (id: number | null, message: string): ServerMessage => ({ type: 'response', id: id ?? -1, ok: false, error: { kind: 'bad-request', message } });

export function installIpc(o: IpcOptions): () => void {
  ipcMain.handle(IPC.service, async (event, raw: unknown): Promise<ServerMessage> => {
    if (!trusted(event, o)) return refused(null, 'untrusted sender');
    const req = parseRequest(raw);
    if (!req.ok) return refused(req.id, req.message);
    try {
      const result = await (o.service.api[req.method] as (p: unknown) => Promise<unknown>)(req.params);
      return { type: 'response', id: req.id, ok: true, result: API[req.method].result.parse(result) };
    } catch (e) {
      return { type: 'response', id: req.id, ok: false, error: toServiceError(e) };
    }
  });

  ipcMain.handle(IPC.desktop, async (event, raw: unknown): Promise<ServerMessage> => {
    if (!trusted(event, o)) return refused(null, 'untrusted sender');
    const env = RequestEnvelopeSchema.safeParse(raw);
    if (!env.success) return refused(null, 'malformed request');
    const { id, method } = env.data;
    if (!Object.prototype.hasOwnProperty.call(DESKTOP_API, method)) return refused(id, `unknown method '${method}'`);
    const m = method as DesktopMethod;
    const params = DESKTOP_API[m].params.safeParse(env.data.params);
    if (!params.success) return refused(id, `invalid parameters for ${m}`);
    const win = o.window();
    if (!win) return refused(id, 'no window');
    try {
      let result: unknown;
      const p = params.data as never;
      switch (m) {
        case 'dialog.open':
          result = { path: await openDialog(win, p) };
          break;
        case 'dialog.save':
          result = { path: await saveDialog(win, p) };
          break;
        case 'shell.reveal': {
          const target = (params.data as { path: string }).path;
          // Folders open in the file manager; a file is only shown in its folder, never opened
          // (opening runs it when it is a program): the renderer cannot launch anything.
          const isFolder = await stat(target).then((s) => s.isDirectory(), () => false);
          if (!isFolder) shell.showItemInFolder(target);
          else {
            const err = await shell.openPath(target);
            if (err) throw new Error(err);
          }
          result = {};
          break;
        }
        case 'window.setTitle':
          win.setTitle((params.data as { title: string }).title);
          result = {};
          break;
        case 'menu.setRecent':
          o.setRecent((params.data as { paths: string[] }).paths);
          result = {};
          break;
      }
      return { type: 'response', id, ok: true, result: DESKTOP_API[m].result.parse(result) };
    } catch (e) {
      return { type: 'response', id, ok: false, error: toServiceError(e) };
    }
  });

  // Events go to the window in batches, as over the WebSocket.
  const batcher = createEventBatcher((events) => o.window()?.webContents.send(IPC.events, { type: 'events', events }));
  const off = o.service.onEvent((e) => batcher.push(e));

  return () => {
    off();
    batcher.close();
    ipcMain.removeHandler(IPC.service);
    ipcMain.removeHandler(IPC.desktop);
  };
}
