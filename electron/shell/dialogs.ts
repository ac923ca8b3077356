/** Native open and save dialogs for the desktop's file commands. */
import { dialog, type BrowserWindow } from 'electron';
import type { DesktopParams } from '../../common/contract/desktop.js';

const PROJECT = { name: 'Crucible project', extensions: ['crucible.json', 'json'] };
const YAML = { name: 'mergekit YAML', extensions: ['yaml', 'yml'] };
const WEIGHTS = { name: 'safetensors', extensions: ['safetensors'] };

export async function openDialog(win: BrowserWindow, { kind }: DesktopParams<'dialog.open'>): Promise<string | null> {
  const opts: Electron.OpenDialogOptions =
    kind === 'project'
      ? { title: 'Open project', properties: ['openFile'], filters: [PROJECT] }
      : kind === 'yaml'
        ? { title: 'Import mergekit YAML', properties: ['openFile'], filters: [YAML] }
        : kind === 'model'
          ? { title: 'Open model file', properties: ['openFile'], filters: [WEIGHTS] }
          : { title: kind === 'outputFolder' ? 'Open recipe from output folder' : 'Open model folder', properties: ['openDirectory'] };
  const r = await dialog.showOpenDialog(win, opts);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}

export async function saveDialog(win: BrowserWindow, { kind, suggestedName }: DesktopParams<'dialog.save'>): Promise<string | null> {
  const r = await dialog.showSaveDialog(win, {
    title: kind === 'project' ? 'Save project' : 'Export mergekit YAML',
    defaultPath: suggestedName,
    filters: [kind === 'project' ? PROJECT : YAML],
  });
  return r.canceled || !r.filePath ? null : r.filePath;
}
