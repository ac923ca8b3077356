/** Folders and files dropped onto the window (desktop): read their headers, then act as drop-plan.ts decides. */
import { useEditor } from '../state/editor-store.js';
import { useUi } from '../state/ui-store.js';
import { needsHeader, planDrop, type DroppedItem } from './drop-plan.js';
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
