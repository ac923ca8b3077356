/** File commands: new, open, save, save as, import/export mergekit YAML, open model, open from output, demo. */
import { ServiceCallError } from '../api/client.js';
import { IpcClient } from '../api/ipc-client.js';
import { service } from '../api/service.js';
import { compileOutput } from '../../../common/graph/compile.js';
import type { Project } from '../../../common/graph/project-schema.js';
import type { DialogKind } from '../../../common/contract/desktop.js';
import { useEditor } from '../state/editor-store.js';
import { flowInstance, newNodeSpot, reveal } from '../state/flow-instance.js';
import { useUi } from '../state/ui-store.js';
import { useExportGaps } from '../state/export-gaps-store.js';
import { notesFor, reopenSummary, useReopen, type InputNote } from '../state/reopen-store.js';
import { hostDirname, isAnchoredHostPath, joinHost } from '../host-path.js';
import { readHeader } from './read-header.js';
import { importWarningsText } from './import-warnings.js';

function errorText(e: unknown): string {
  return e instanceof ServiceCallError || e instanceof Error ? e.message : String(e);
}

export function reportError(e: unknown): void {
  useUi.getState().notify(errorText(e), 'error');
}

/** A path from the native dialog (desktop) or the path field prompt (web). */
async function choosePath(kind: DialogKind | 'saveProject' | 'saveYaml', title: string, action: string, initial = ''): Promise<string | null> {
  const client = service();
  if (client instanceof IpcClient) {
    if (kind === 'saveProject' || kind === 'saveYaml') {
      return (await client.desktop('dialog.save', { kind: kind === 'saveProject' ? 'project' : 'yaml', suggestedName: initial || undefined })).path;
    }
    return (await client.desktop('dialog.open', { kind })).path;
  }
  return useUi.getState().askPath({ title, action, initial: initial || `${useUi.getState().homeDir}/` });
}

/** The bundled demo, which lives with the app: saving goes elsewhere. */
function isDemo(path: string): boolean {
  return path.endsWith('demo.crucible.json');
}

/** Where Save As and Export start: the open project's folder, else (new project, demo) the home folder. */
function defaultFolder(): string {
  const path = useEditor.getState().path;
  return path && !isDemo(path) ? hostDirname(path) : useUi.getState().homeDir;
}

/** A project name as a file name valid on Windows, macOS and Linux: their forbidden characters become '-'. */
export function safeFileName(name: string, fallback: string): string {
  return name.replace(/[\\/:*?"<>|]/g, '-').trim() || fallback;
}

export interface ApplyOptions {
  dirty?: boolean;
  /** What reopening an output found about its inputs. */
  notes?: Record<string, InputNote>;
  /** The positions are the app's layout of a recipe (editor-store's autoLayout). */
  laidOut?: boolean;
}

/** Opens a project in the editor (replacing the graph, as Open does). */
export function applyProject(project: Project, path: string | null, { dirty = false, notes = {}, laidOut = false }: ApplyOptions = {}): void {
  useReopen.getState().setNotes(notes);
  useEditor.getState().loadProject(project, path, { dirty, laidOut });
  // Read again what may differ from what is known under the same text: a relative path (this
  // project's folder may not be the last one's) and a path that failed (it may be there now).
  const headers = useEditor.getState().headers;
  for (const n of project.nodes) {
    if (n.data.kind === 'model' && n.data.path) void readHeader(n.data.path, !isAnchoredHostPath(n.data.path) || headers[n.data.path]?.state === 'error');
  }
  useUi.getState().requestFit();
}

async function refreshRecent(): Promise<void> {
  const { paths } = await service().call('project.recent', {});
  useUi.getState().set({ recent: paths });
  const client = service();
  if (client instanceof IpcClient) await client.desktop('menu.setRecent', { paths });
}

function confirmDiscard(): boolean {
  const s = useEditor.getState();
  // The web host cannot show native dialogs; window.confirm is the page's own.
  return !s.dirty || s.nodes.length === 0 || window.confirm('Discard the unsaved changes of this project?');
}

export const projectCommands = {
  newProject(): void {
    if (!confirmDiscard()) return;
    useReopen.getState().setNotes({});
    useEditor.getState().newProject();
    void service().call('autosave.clear', {});
  },
  async open(pathArg?: string): Promise<void> {
    try {
      if (!confirmDiscard()) return;
      const path = pathArg ?? (await choosePath('project', 'Open project', 'Open'));
      if (!path) return;
      const r = await service().call('project.load', { path });
      applyProject(r.project, r.path);
      if (r.migratedFrom !== null) useUi.getState().notify(`Opened a version ${r.migratedFrom} project; it will be saved in the current format.`, 'info');
      await refreshRecent();
    } catch (e) {
      reportError(e);
    }
  },
  async save(): Promise<void> {
    const s = useEditor.getState();
    if (!s.path || isDemo(s.path)) return projectCommands.saveAs();
    await saveTo(s.path);
  },
  async saveAs(): Promise<void> {
    try {
      const s = useEditor.getState();
      const initial = s.path && !isDemo(s.path) ? s.path : joinHost(defaultFolder(), `${safeFileName(s.name, 'untitled')}.crucible.json`);
      const path = await choosePath('saveProject', 'Save project as', 'Save', initial);
      if (!path) return;
      await saveTo(path.endsWith('.crucible.json') ? path : `${path}.crucible.json`);
    } catch (e) {
      reportError(e);
    }
  },
  async importYaml(): Promise<void> {
    try {
      if (!confirmDiscard()) return;
      const path = await choosePath('yaml', 'Import mergekit YAML', 'Import');
      if (!path) return;
      const r = await service().call('recipe.importYaml', { path });
      applyProject(r.project, null, { dirty: true, laidOut: true });
      const warned = importWarningsText(r.warnings ?? []);
      if (warned) useUi.getState().notify(warned, 'info');
    } catch (e) {
      reportError(e);
    }
  },
  async exportYaml(): Promise<void> {
    try {
      const s = useEditor.getState();
      const outputs = s.nodes.filter((n) => n.data.kind === 'output');
      const output = outputs.find((n) => n.selected) ?? outputs[0];
      if (!output) throw new Error('Nothing to export: add an Output node fed by a merge.');
      const c = compileOutput({ nodes: s.nodes, edges: s.edges }, output.id);
      if (!c.ok) throw new Error(c.reason);
      const path = await choosePath('saveYaml', 'Export mergekit YAML', 'Export', joinHost(defaultFolder(), `${safeFileName(s.name, 'merge')}.yaml`));
      if (!path) return;
      const recipeDir = s.path ? hostDirname(s.path) : useUi.getState().homeDir;
      const stages = c.job.stages?.map((s) => ({ recipe: s.recipe, mergeNodeId: s.mergeNodeId }));
      const job = {
        recipe: c.job.recipe,
        recipeDir,
        out: c.job.out,
        force: c.job.force,
        mergeNodeId: c.job.mergeNodeId,
        outputNodeId: c.job.outputNodeId,
        // The graph names the Crucible-only nodes (Align, Fisher estimate) mergekit cannot express.
        graph: s.toProject(flowInstance()?.getViewport()),
        ...(stages ? { stages } : {}),
      };
      const { gaps } = await service().call('recipe.exportYaml', { path, job, check: true });
      const choice = gaps?.length ? await useExportGaps.getState().ask(gaps) : 'anyway';
      if (choice === 'cancel') return;
      const r = await service().call('recipe.exportYaml', { path, job, withComments: choice === 'comments' });
      useUi.getState().notify(`Exported ${r.path}`, 'info');
    } catch (e) {
      reportError(e);
    }
  },
  async openModel(): Promise<void> {
    try {
      const path = await choosePath('modelFolder', 'Open model folder', 'Add model');
      if (!path) return;
      addModelNode(path);
    } catch (e) {
      reportError(e);
    }
  },
  /** The graph an output recorded, as a new unsaved project; `pathArg` (a dropped folder or file) skips the prompt. */
  async openFromOutput(pathArg?: string): Promise<void> {
    try {
      if (!confirmDiscard()) return;
      const path = pathArg ?? (await choosePath('outputFolder', 'Open recipe from output folder', 'Open'));
      if (!path) return;
      const r = await service().call('recipe.extract', { path });
      applyProject(r.project, null, { dirty: true, notes: notesFor(r.inputs), laidOut: true });
      const summary = reopenSummary(r.output, r.inputs);
      useUi.getState().notify(summary.text, summary.tone);
    } catch (e) {
      reportError(e);
    }
  },
  async openDemo(): Promise<void> {
    try {
      if (!confirmDiscard()) return;
      const r = await service().call('project.demo', {});
      applyProject(r.project, r.path);
    } catch (e) {
      reportError(e);
    }
  },
  refreshRecent,
};

let added = 0;
export function addModelNode(path: string, at?: { x: number; y: number }): void {
  const ed = useEditor.getState();
  const spot = at ?? newNodeSpot(added++, ed.nodes, 'model');
  const id = ed.addNode('model', spot);
  ed.updateData(id, { path }, `path:${id}`);
  if (!at) reveal(spot, 'model');
  void readHeader(path);
}

async function saveTo(path: string): Promise<void> {
  try {
    const v = flowInstance()?.getViewport();
    const { version } = useEditor.getState();
    const project = useEditor.getState().toProject(v);
    const r = await service().call('project.save', { path, project: { ...project, name: (path.split(/[\\/]/).pop() ?? project.name).replace(/\.crucible\.json$/, '') } });
    useEditor.getState().markSaved(r.path, version);
    useUi.getState().notify(`Saved ${r.path}`, 'info');
    await refreshRecent();
  } catch (e) {
    reportError(e);
  }
}
