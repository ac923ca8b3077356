/** Folders and files dropped onto the window (desktop): read their headers, then act as drop-plan.ts decides. */
import type { DragEvent } from 'react';
import { useEditor } from '../state/editor-store.js';
import { flowInstance } from '../state/flow-instance.js';
import { useUi } from '../state/ui-store.js';
import { needsHeader, planDrop, type DroppedItem } from './drop-plan.js';
import { PALETTE_MIME, addPaletteNode } from './palette-commands.js';
import { addModelNode, projectCommands } from './project-commands.js';
import { readHeader } from './read-header.js';

function itemOf(path: string): DroppedItem {
  const h = useEditor.getState().headers[path];
  return h?.state === 'ok' && h.summary.crucibleOutput ? { path, crucibleOutput: h.summary.crucibleOutput } : { path };
}

export async function dropPaths(paths: readonly string[], at?: { x: number; y: number }): Promise<void> {
  await Promise.all(paths.filter(needsHeader).map((p) => readHeader(p)));
  const plan = planDrop(paths.map(itemOf));
  if (!plan) return;
  if (plan.kind === 'addModels') {
    plan.paths.forEach((p, i) => addModelNode(p, at ? { x: at.x + i * 30, y: at.y + i * 30 } : undefined));
    return;
  }
  if (plan.ignored.length) useUi.getState().notify(`Only one project opens at a time: ${plan.path} was opened, ${plan.ignored.join(', ')} left alone.`, 'info');
  if (plan.kind === 'openProject') await projectCommands.open(plan.path);
  else await projectCommands.openFromOutput(plan.path);
}

/**
 * The window's drop handler. A palette entry dropped on the canvas becomes its node there (its title
 * under the pointer). Files and folders: paths come from the preload (desktop only; a browser gives
 * none), and new Model nodes land where the drop was.
 */
export function onWindowDrop(e: DragEvent): void {
  e.preventDefault();
  const onCanvas = (e.target as HTMLElement | null)?.closest?.('.canvas') != null;
  const at = onCanvas ? flowInstance()?.screenToFlowPosition({ x: e.clientX, y: e.clientY }) : undefined;
  const entry = e.dataTransfer.getData(PALETTE_MIME);
  if (entry) {
    if (at) addPaletteNode(entry, { x: Math.round(at.x - 60), y: Math.round(at.y - 15) });
    return;
  }
  const files = [...e.dataTransfer.files];
  const bridge = window.crucible;
  if (!files.length || !bridge) return;
  void dropPaths(files.map((f) => bridge.pathForFile(f)).filter((p) => p.length > 0), at);
}
