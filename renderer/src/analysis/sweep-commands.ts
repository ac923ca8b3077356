/** Sweep commands: start a grid over one or two sliders of a merge node, cancel it, set the node to a cell. */
import { nodeLabel } from '../../../common/graph/node-label.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { previewRecipe, recipeModelIndex, targetKey, type SliderTarget } from '../../../common/graph/preview-target.js';
import { useEditor } from '../state/editor-store.js';
import { useUi } from '../state/ui-store.js';
import { useAnalysisUi } from './analysis-ui.js';
import { FISHER_NOT_PREVIEWED, projectDir } from './barrier-commands.js';
import { textRefLabel, useProbeSettings } from './probe-settings.js';
import { linspace, useSweep, type SweepAxisDef, type SweepRun } from './sweep-store.js';
import { cancelTask, startTask } from './task-client.js';
import { runStagesFor } from './stage-commands.js';

let next = 1;

export interface AxisChoice {
  target: SliderTarget;
  lo: number;
  hi: number;
  count: number;
}

/** Both axes on one slider: no grid (the panel says so before Run; startSweep refuses it). */
export function sameSlider(a: SliderTarget, b: SliderTarget): boolean {
  return targetKey(a) === targetKey(b);
}

export function startSweep(nodeId: string, choices: AxisChoice[]): void {
  const ed = useEditor.getState();
  const g = { nodes: ed.nodes, edges: ed.edges };
  const node = ed.nodes.find((n) => n.id === nodeId);
  const notify = (m: string) => useUi.getState().notify(`Sweep: ${m}`, 'error');
  if (!node || choices.length < 1 || choices.length > 2) return notify('choose one or two sliders of a merge node.');
  if (node.data.kind === 'merge' && node.data.method === 'fisher') return notify(FISHER_NOT_PREVIEWED);
  const pr = previewRecipe(g, nodeId);
  if (!pr.ok) return notify(pr.reason);
  const axes: SweepAxisDef[] = [];
  for (const c of choices) {
    let model: number | undefined;
    if (c.target.sourceId) {
      const idx = recipeModelIndex(g, nodeId, c.target.sourceId, c.target.param);
      if (!idx.ok) return notify(idx.reason);
      model = idx.index;
    }
    if (!Number.isFinite(c.lo) || !Number.isFinite(c.hi) || !(c.count >= 1 && c.count <= 64)) return notify('each axis needs a finite range and 1 to 64 values.');
    axes.push({
      param: c.target.param,
      sourceId: c.target.sourceId,
      label: c.target.label,
      axis: model === undefined ? { param: c.target.param } : { param: c.target.param, model },
      values: linspace(c.lo, c.hi, c.count),
    });
  }
  if (choices.length === 2 && sameSlider(choices[0].target, choices[1].target)) return notify('choose two different sliders.');
  const ps = useProbeSettings.getState();
  const run: SweepRun = {
    id: `s${next++}`,
    taskId: null,
    nodeId,
    title: `${nodeLabel(node.data)} · ${axes.map((a) => a.label).join(' × ')}`,
    axes,
    probe: ps.settings(),
    textNames: ps.texts.map(textRefLabel),
    status: 'starting',
    cells: [],
    result: null,
    progress: null,
    error: null,
  };
  useSweep.getState().start(run);
  useAnalysisUi.getState().open('sweep');
  const store = () => useSweep.getState();
  void runStagesFor(nodeId).then((problem) => {
    if (problem) store().patch(run.id, { status: 'failed', error: problem.message });
    // Forgotten meanwhile (another project was opened): nothing to show it in.
    else if (store().run?.id === run.id) launch(run, pr.recipe, axes, nodeId);
  });
}

function launch(run: SweepRun, recipe: MergeRecipe, axes: SweepAxisDef[], nodeId: string): void {
  const store = () => useSweep.getState();
  startTask(
    { kind: 'sweep', recipe, recipeDir: projectDir(), axes: axes.map((a) => ({ ...a.axis, values: a.values })), probe: run.probe, nodeId },
    {
      started: () => store().patch(run.id, { status: 'running' }),
      event: (e) => store().applyEvent(run.id, e),
      finished: (result) => {
        if (result.kind === 'sweep') store().patch(run.id, { status: 'done', result, progress: null });
      },
      failed: (error) => store().patch(run.id, { status: 'failed', error: error.message, progress: null }),
      cancelled: () => store().patch(run.id, { status: 'cancelled', progress: null }),
    },
  ).then(
    (taskId) => {
      const cur = store().run;
      if (cur?.id !== run.id) void cancelTask(taskId).catch(() => false);
      else store().patch(run.id, cur.status === 'starting' ? { taskId, status: 'queued' } : { taskId });
    },
    (e: unknown) => store().patch(run.id, { status: 'failed', error: e instanceof Error ? e.message : String(e) }),
  );
}

export async function cancelSweep(): Promise<void> {
  const t = useSweep.getState().run?.taskId;
  if (t) await cancelTask(t).catch(() => false);
}

/** Sets the node's sliders to a cell's values. */
export function applyCell(run: SweepRun, values: number[]): void {
  const ed = useEditor.getState();
  run.axes.forEach((a, i) => {
    if (a.sourceId) ed.setModelParam(run.nodeId, a.sourceId, a.param, values[i]);
    else ed.setParam(run.nodeId, a.param, values[i]);
  });
}
