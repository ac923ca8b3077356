/**
 * Every command of the application menu, also reachable in the page (menu bar, shortcuts): the web
 * host and the tests use these; the Electron menu sends the same ids. The command palette offers
 * these and a few of its own (paletteCommands).
 */
import type { MenuCommand } from '../../../common/contract/desktop.js';
import { useAnalysisUi, type AnalysisTab } from '../analysis/analysis-ui.js';
import { useEditor } from '../state/editor-store.js';
import { flowInstance } from '../state/flow-instance.js';
import { fitGraph } from '../state/fit-graph.js';
import type { RunStatus } from '../state/run-store.js';
import { useUi } from '../state/ui-store.js';
import { openConnectPicker } from './connect-commands.js';
import { PALETTE_ENTRIES, addPaletteNode } from './palette-commands.js';
import { projectCommands } from './project-commands.js';
import { cancelRun, startRun } from './run-commands.js';

/** The menus of the menu bar, as in the desktop application menu. */
export type MenuName = 'File' | 'Edit' | 'View';

export interface CommandDef<Id extends string = MenuCommand, Group extends string = MenuName> {
  id: Id;
  label: string;
  /** Its menu; for a command only the palette offers, the group the palette shows before its label. */
  menu: Group;
  /** Shown in the menu; matched by the shortcut handler (Mod = Ctrl, or ⌘ on macOS). */
  shortcut?: string;
  run: () => void | Promise<void>;
  separatorBefore?: boolean;
}

const ed = () => useEditor.getState();

/** Edit → Rename node (F2): the one selected Model node's title becomes a field. */
function renameSelected(): void {
  const selected = ed().nodes.filter((n) => n.selected);
  if (selected.length === 1 && selected[0].data.kind === 'model') useUi.getState().setRenaming(selected[0].id);
  else useUi.getState().notify('Select one Model node to rename it (a merge is named by its stage name field).', 'info');
}

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
  { id: 'edit.connect', label: 'Connect output to…', menu: 'Edit', shortcut: 'Mod+Shift+E', run: openConnectPicker, separatorBefore: true },
  { id: 'edit.rename', label: 'Rename node', menu: 'Edit', shortcut: 'F2', run: renameSelected },
  { id: 'view.fit', label: 'Fit', menu: 'View', shortcut: 'Shift+1', run: () => fitGraph({ padding: 0.15, duration: 200 }) },
  { id: 'view.zoomIn', label: 'Zoom In', menu: 'View', shortcut: 'Mod+=', run: () => void flowInstance()?.zoomIn({ duration: 150 }) },
  { id: 'view.zoomOut', label: 'Zoom Out', menu: 'View', shortcut: 'Mod+-', run: () => void flowInstance()?.zoomOut({ duration: 150 }) },
  { id: 'view.toggleRunPanel', label: 'Run panel', menu: 'View', run: () => useUi.getState().toggleRunPanel(), separatorBefore: true },
  { id: 'view.toggleMinimap', label: 'Minimap', menu: 'View', run: () => useUi.getState().toggleMinimap() },
  { id: 'view.commandPalette', label: 'Command palette…', menu: 'View', shortcut: 'Mod+Shift+P', run: () => useUi.getState().setPaletteOpen(true), separatorBefore: true },
];

export function commandById(id: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.id === id);
}

/** What the command palette offers beyond the menus; none of it is in the desktop menu, so it has no menu id. */
export type PaletteGroup = 'Run' | 'Analysis' | 'Add node';
/** Stable ids: a palette entry's command is named by the entry's key. */
export type PaletteCommandId = MenuCommand | 'run.start' | 'run.cancel' | `analysis.${AnalysisTab}` | `node.add.${string}`;
export type PaletteCommandDef = CommandDef<PaletteCommandId, MenuName | PaletteGroup>;

const ANALYSIS_PANELS: readonly { tab: AnalysisTab; label: string }[] = [
  { tab: 'diagnostics', label: 'Diagnostics panel' },
  { tab: 'barrier', label: 'Barrier panel' },
  { tab: 'sweep', label: 'Sweep panel' },
];

/** As the run panel's buttons: Run while nothing runs; Cancel once the service has the job (pre-flight has none yet). */
export function runCanStart(status: RunStatus): boolean {
  return status !== 'checking' && status !== 'queued' && status !== 'running';
}
export function runCanCancel(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

/**
 * The command palette's list for the run's present status: the menu commands (but the palette
 * itself), Run or Cancel, opening each analysis panel, and adding a node of each palette entry.
 */
export function paletteCommands(status: RunStatus): PaletteCommandDef[] {
  const run: PaletteCommandDef[] = [
    ...(runCanStart(status) ? [{ id: 'run.start', label: 'Start', menu: 'Run', run: startRun } as const] : []),
    ...(runCanCancel(status) ? [{ id: 'run.cancel', label: 'Cancel', menu: 'Run', run: cancelRun } as const] : []),
  ];
  return [
    ...COMMANDS.filter((c) => c.id !== 'view.commandPalette'),
    ...run,
    // Open, not toggle: running "Sweep panel" while it is open should leave it open.
    ...ANALYSIS_PANELS.map((p): PaletteCommandDef => ({ id: `analysis.${p.tab}`, label: p.label, menu: 'Analysis', run: () => useAnalysisUi.getState().open(p.tab) })),
    ...PALETTE_ENTRIES.map((e): PaletteCommandDef => ({ id: `node.add.${e.key}`, label: e.label, menu: 'Add node', run: () => void addPaletteNode(e.key) })),
  ];
}
