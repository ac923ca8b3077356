/**
 * Start-up: learn about the host, then restore autosaved work (what a crash left), else open the
 * most recent project, else (first launch) the demo.
 */
import { MenuMessageSchema } from '../../common/contract/desktop.js';
import { service } from './api/service.js';
import { commandById } from './commands/command-list.js';
import { applyProject, projectCommands, reportError } from './commands/project-commands.js';
import { listenToRuns } from './commands/run-commands.js';
import { listenToAnalysis } from './analysis/listen.js';
import { installShortcuts, leaveTextField } from './commands/shortcuts.js';
import { useEditor } from './state/editor-store.js';
import { flowInstance } from './state/flow-instance.js';
import { useUi } from './state/ui-store.js';

const AUTOSAVE_MS = 1000;

function installAutosave(): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  useEditor.subscribe((s, prev) => {
    if (s.revision === prev.revision) return;
    if (!s.dirty) {
      // Undo back to the saved graph: what was autosaved since is a change no longer there.
      if (prev.dirty) {
        if (timer) clearTimeout(timer);
        void service().call('autosave.clear', {}).catch(() => undefined);
      }
      return;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const e = useEditor.getState();
      if (!e.dirty) return;
      void service()
        .call('autosave.write', { project: e.toProject(flowInstance()?.getViewport()), path: e.path })
        .catch(() => undefined);
    }, AUTOSAVE_MS);
  });
}

function installMenuBridge(): void {
  const bridge = window.crucible;
  if (!bridge) return;
  bridge.onMenu((m) => {
    const msg = MenuMessageSchema.safeParse(m);
    if (!msg.success) return;
    if (msg.data.command === 'file.openRecent') {
      if (msg.data.path) void projectCommands.open(msg.data.path);
      return;
    }
    // The menu's editing accelerators reach text fields first as the native action.
    const el = document.activeElement as HTMLElement | null;
    const inField = !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
    const native: Record<string, string> = { 'edit.undo': 'undo', 'edit.redo': 'redo', 'edit.cut': 'cut', 'edit.copy': 'copy', 'edit.paste': 'paste', 'edit.selectAll': 'selectAll', 'edit.delete': 'delete' };
    if (inField && native[msg.data.command]) {
      document.execCommand(native[msg.data.command]);
      return;
    }
    // As the page's shortcuts do: a field commits what was typed when it loses focus (Save would miss it).
    leaveTextField();
    void commandById(msg.data.command)?.run();
  });
}

export async function startup(): Promise<void> {
  const client = service();
  client.onConnectionChange((connected) => useUi.getState().set({ connected }));
  listenToRuns();
  listenToAnalysis();
  installShortcuts();
  installMenuBridge();
  try {
    const info = await client.call('app.info', {});
    useUi.getState().set({ host: info.host, homeDir: info.homeDir });
    useEditor.getState().setDefaultOutputDir(info.defaultOutputDir);
    await projectCommands.refreshRecent();
    const { saved } = await client.call('autosave.read', {});
    if (saved) {
      applyProject(saved.project, saved.path, { dirty: true });
      useUi.getState().notify(`Restored unsaved work from ${new Date(saved.savedAt).toLocaleString()}.`, 'info');
    } else {
      const recent = useUi.getState().recent;
      if (recent.length === 0) await projectCommands.openDemo();
      else {
        try {
          const r = await client.call('project.load', { path: recent[0] });
          applyProject(r.project, r.path);
        } catch {
          await projectCommands.openDemo();
        }
      }
    }
  } catch (e) {
    reportError(e);
  }
  installAutosave();
}
