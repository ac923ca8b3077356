/**
 * Every command of the application menu, also reachable in the page (menu bar, shortcuts): the web
 * host and the tests use these; the Electron menu sends the same ids.
 */
import type { MenuCommand } from '../../../common/contract/desktop.js';
import { useEditor } from '../state/editor-store.js';
import { flowInstance } from '../state/flow-instance.js';
import { useUi } from '../state/ui-store.js';
import { projectCommands } from './project-commands.js';

export interface CommandDef {
  id: MenuCommand;
  label: string;
  menu: 'File' | 'Edit' | 'View';
  /** Shown in the menu; matched by the shortcut handler (Mod = Ctrl, or ⌘ on macOS). */
  shortcut?: string;
  run: () => void | Promise<void>;
  separatorBefore?: boolean;
}

const ed = () => useEditor.getState();

export const COMMANDS: readonly CommandDef[] = [
  { id: 'file.new', label: 'New', menu: 'File', shortcut: 'Mod+N', run: () => projectCommands.newProject() },
  { id: 'file.open', label: 'Open…', menu: 'File', shortcut: 'Mod+O', run: () => projectCommands.open() },
  { id: 'file.openModel', label: 'Open model folder…', menu: 'File', shortcut: 'Mod+Shift+M', run: () => projectCommands.openModel() },
  { id: 'file.openFromOutput', label: 'Open recipe from output folder…', menu: 'File', run: () => projectCommands.openFromOutput() },
  { id: 'file.openDemo', label: 'Open demo project', menu: 'File', run: () => projectCommands.openDemo() },
  { id: 'file.save', label: 'Save', menu: 'File', shortcut: 'Mod+S', run: () => projectCommands.save(), separatorBefore: true },
  { id: 'file.saveAs', label: 'Save As…', menu: 'File', shortcut: 'Mod+Shift+S', run: () => projectCommands.saveAs() },
  { id: 'file.importYaml', label: 'Import mergekit YAML…', menu: 'File', run: () => projectCommands.importYaml(), separatorBefore: true },
  { id: 'file.exportYaml', label: 'Export mergekit YAML…', menu: 'File', run: () => projectCommands.exportYaml() },
  { id: 'edit.undo', label: 'Undo', menu: 'Edit', shortcut: 'Mod+Z', run: () => ed().undo() },
  { id: 'edit.redo', label: 'Redo', menu: 'Edit', shortcut: 'Mod+Shift+Z', run: () => ed().redo() },
  { id: 'edit.cut', label: 'Cut', menu: 'Edit', shortcut: 'Mod+X', run: () => ed().cut(), separatorBefore: true },
  { id: 'edit.copy', label: 'Copy', menu: 'Edit', shortcut: 'Mod+C', run: () => ed().copy() },
  { id: 'edit.paste', label: 'Paste', menu: 'Edit', shortcut: 'Mod+V', run: () => ed().paste() },
  { id: 'edit.delete', label: 'Delete', menu: 'Edit', shortcut: 'Delete', run: () => ed().deleteSelected() },
  { id: 'edit.selectAll', label: 'Select All', menu: 'Edit', shortcut: 'Mod+A', run: () => ed().selectAll() },
  { id: 'view.fit', label: 'Fit', menu: 'View', shortcut: 'Shift+1', run: () => void flowInstance()?.fitView({ padding: 0.15, duration: 200 }) },
  { id: 'view.zoomIn', label: 'Zoom In', menu: 'View', shortcut: 'Mod+=', run: () => void flowInstance()?.zoomIn({ duration: 150 }) },
  { id: 'view.zoomOut', label: 'Zoom Out', menu: 'View', shortcut: 'Mod+-', run: () => void flowInstance()?.zoomOut({ duration: 150 }) },
  { id: 'view.toggleMinimap', label: 'Minimap', menu: 'View', run: () => useUi.getState().toggleMinimap(), separatorBefore: true },
  { id: 'view.commandPalette', label: 'Command palette…', menu: 'View', shortcut: 'Mod+Shift+P', run: () => useUi.getState().setPaletteOpen(true), separatorBefore: true },
];

export function commandById(id: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.id === id);
}
