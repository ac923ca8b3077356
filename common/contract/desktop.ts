/**
 * What only the desktop app has (native dialogs, revealing a folder, the application menu), and the
 * shape of the API the Electron preload exposes. The web host offers path fields instead.
 */
import { z } from 'zod';

export const MENU_COMMANDS = [
  'file.new',
  'file.open',
  'file.openModel',
  'file.openFromOutput',
  'file.save',
  'file.saveAs',
  'file.importYaml',
  'file.exportYaml',
  'file.openDemo',
  'edit.undo',
  'edit.redo',
  'edit.cut',
  'edit.copy',
  'edit.paste',
  'edit.delete',
  'edit.selectAll',
  'edit.connect',
  'edit.rename',
  'view.fit',
  'view.zoomIn',
  'view.zoomOut',
  'view.toggleRunPanel',
  'view.toggleMinimap',
  'view.commandPalette',
] as const;
export const MenuCommandSchema = z.enum(MENU_COMMANDS);
export type MenuCommand = z.infer<typeof MenuCommandSchema>;

/** A command from the application menu, optionally with an argument (Open Recent's path). */
export const MenuMessageSchema = z.strictObject({ command: z.union([MenuCommandSchema, z.literal('file.openRecent')]), path: z.string().optional() });
export type MenuMessage = z.infer<typeof MenuMessageSchema>;

export const DialogKindSchema = z.enum(['project', 'model', 'modelFolder', 'outputFolder', 'yaml']);
export type DialogKind = z.infer<typeof DialogKindSchema>;

export const DESKTOP_API = {
  'dialog.open': {
    params: z.strictObject({ kind: DialogKindSchema }),
    result: z.strictObject({ path: z.string().nullable() }),
  },
  'dialog.save': {
    params: z.strictObject({ kind: z.enum(['project', 'yaml']), suggestedName: z.string().optional() }),
    result: z.strictObject({ path: z.string().nullable() }),
  },
  'shell.reveal': { params: z.strictObject({ path: z.string().min(1) }), result: z.strictObject({}) },
  'window.setTitle': { params: z.strictObject({ title: z.string() }), result: z.strictObject({}) },
  'menu.setRecent': { params: z.strictObject({ paths: z.array(z.string()) }), result: z.strictObject({}) },
} as const;
export type DesktopMethod = keyof typeof DESKTOP_API;
export type DesktopParams<M extends DesktopMethod> = z.infer<(typeof DESKTOP_API)[M]['params']>;
export type DesktopResult<M extends DesktopMethod> = z.infer<(typeof DESKTOP_API)[M]['result']>;

export { IPC } from './ipc-channels.js';

/** `window.crucible` in the desktop app: the one API the preload exposes through contextBridge. */
export interface DesktopBridge {
  readonly host: 'desktop';
  /** A service request envelope in, a response envelope out (both validated in main and here). */
  service(request: { id: number; method: string; params: unknown }): Promise<unknown>;
  desktop(request: { id: number; method: string; params: unknown }): Promise<unknown>;
  onEvents(listener: (message: unknown) => void): () => void;
  onMenu(listener: (message: unknown) => void): () => void;
  /** The file-system path of a file or folder dropped on the window. */
  pathForFile(file: File): string;
}
