/**
 * Barrier preview commands: start one for a merge node (a slider, or the A→B line of a two-input
 * node) or for any two models (the Align node's before/after), cancel it, and move a node's
 * slider to a point of the curve.
 */
import { getMethod } from '../../../common/methods/registry.js';
import type { NumberParam } from '../../../common/methods/types.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import type { TaskSpec } from '../../../common/contract/tasks.js';
import { nodeLabel } from '../../../common/graph/node-label.js';
import { defaultTarget, previewRecipe, previewRefusal, recipeModelIndex, type PreviewTarget } from '../../../common/graph/preview-target.js';
import { hostDirname } from '../host-path.js';
import { sliderRange } from '../components/params/ParamControl.js';
import { useEditor } from '../state/editor-store.js';
import { useUi } from '../state/ui-store.js';
import { useAnalysisUi } from './analysis-ui.js';
import { useBarrier, type BarrierRun, type BarrierTarget } from './barrier-store.js';
import { textRefLabel, useProbeSettings } from './probe-settings.js';
import { cancelTask, startTask } from './task-client.js';
import { runStagesFor } from './stage-commands.js';

let nextRun = 1;

/** The probe's own merging (slider previews, sweeps) does not read Fisher files yet; runs do. */
export const FISHER_NOT_PREVIEWED = 'Fisher merging cannot be previewed yet (the probe’s merging does not read Fisher files); preview the A→B line of its two models instead.';

/** The folder relative model paths and outputs resolve against: the project's, else home. */
export function projectDir(): string {
  const path = useEditor.getState().path;
  return path ? hostDirname(path) : useUi.getState().homeDir;
}

function graph() {
  const s = useEditor.getState();
  return { nodes: s.nodes, edges: s.edges };
}

type Prepared = { ok: true; target: BarrierTarget; recipe: MergeRecipe | null } | { ok: false; reason: string };

function prepare(nodeId: string, t: PreviewTarget): Prepared {
  const g = graph();
  if (t.kind === 'interpolate') return { ok: true, target: t, recipe: null };
  const merge = g.nodes.find((n) => n.id === nodeId);
  if (merge?.data.kind === 'merge' && merge.data.method === 'fisher') return { ok: false, reason: FISHER_NOT_PREVIEWED };
  const pr = previewRecipe(g, nodeId);
  if (!pr.ok) return { ok: false, reason: pr.reason };
  const node = g.nodes.find((n) => n.id === nodeId);
  const method = node?.data.kind === 'merge' ? getMethod(node.data.method) : undefined;
  const p = method?.params.find((q): q is NumberParam => q.name === t.param && q.type === 'number');
  if (!p) return { ok: false, reason: `No numeric parameter '${t.param}' on this node.` };
  let model: number | undefined;
  if (t.sourceId) {
    const idx = recipeModelIndex(g, nodeId, t.sourceId, t.param);
    if (!idx.ok) return { ok: false, reason: idx.reason };
    model = idx.index;
  }
  const r = sliderRange(p);
  return {
    ok: true,
    recipe: pr.recipe,
    target: { ...t, axis: model === undefined ? { param: t.param } : { param: t.param, model }, range: [r.min, r.max], defaultValue: p.default },
  };
}

/** Starts the preview once the stages the node reads (Align, Fisher estimates) are written. */
/** Runs the stages of `stageNodes` (default: the run's node and what it reads), then the preview. */
function launch(run: BarrierRun, spec: TaskSpec, stageNodes: readonly string[] = [run.nodeId]): void {
  void (async () => {
    for (const id of stageNodes) {
      const problem = await runStagesFor(id);
      if (problem) return useBarrier.getState().patch(run.id, { status: 'failed', error: problem.message });
    }
    // Forgotten meanwhile (another project was opened): nothing to show it in.
    if (useBarrier.getState().runs[run.id]) start(run, spec);
  })();
}

function start(run: BarrierRun, spec: TaskSpec): void {
  const store = useBarrier.getState();
  startTask(spec, {
    started: () => useBarrier.getState().patch(run.id, { status: 'running' }),
    event: (e) => useBarrier.getState().applyEvent(run.id, e),
    finished: (result) => {
      if (result.kind === 'barrier') useBarrier.getState().patch(run.id, { status: 'done', result, progress: null });
    },
    failed: (error) => useBarrier.getState().patch(run.id, { status: 'failed', error: error.message, progress: null }),
    cancelled: () => useBarrier.getState().patch(run.id, { status: 'cancelled', progress: null }),
  }).then(
    (taskId) => {
      const cur = useBarrier.getState().runs[run.id];
      if (!cur) void cancelTask(taskId).catch(() => false);
      else if (cur.status === 'starting') store.patch(run.id, { taskId, status: 'queued' });
      else store.patch(run.id, { taskId });
    },
    (e: unknown) => store.patch(run.id, { status: 'failed', error: e instanceof Error ? e.message : String(e) }),
  );
}

function newRun(nodeId: string, title: string, target: BarrierTarget, recipe: MergeRecipe | null): BarrierRun {
  const ps = useProbeSettings.getState();
  return {
    id: `b${nextRun++}`,
    taskId: null,
    nodeId,
    title,
    target,
    recipe,
    recipeDir: projectDir(),
    probe: ps.settings(),
    textNames: ps.texts.map(textRefLabel),
    points: ps.points,
    status: 'starting',
    partial: [],
    result: null,
    progress: null,
    error: null,
    startedAt: Date.now(),
  };
}

/** Barrier preview of a merge node along `target` (default: the node's natural slider or A→B line). */
export function previewBarrier(nodeId: string, target?: PreviewTarget): void {
  const t = target ?? defaultTarget(graph(), nodeId);
  const node = useEditor.getState().nodes.find((n) => n.id === nodeId);
  useAnalysisUi.getState().open('barrier');
  // A Layer assembly, or a node of a chain (its A→B line too would read a stage's name as a path).
  const refused = previewRefusal(graph(), nodeId);
  if (refused) {
    useUi.getState().notify(`Barrier preview: ${refused}`, 'error');
    return;
  }
  if (!t || !node) {
    useUi.getState().notify('This node has no slider to preview along: connect its inputs first.', 'error');
    return;
  }
  const prep = prepare(nodeId, t);
  if (!prep.ok) {
    useUi.getState().notify(`Barrier preview: ${prep.reason}`, 'error');
    return;
  }
  const run = newRun(nodeId, `${nodeLabel(node.data)} · ${t.label}`, prep.target, prep.recipe);
  useBarrier.getState().add(run, 'replace');
  const spec: TaskSpec =
    prep.target.kind === 'slider'
      ? { kind: 'sliderBarrier', recipe: prep.recipe as MergeRecipe, recipeDir: run.recipeDir, axis: prep.target.axis, range: prep.target.range, points: run.points, probe: run.probe, nodeId }
      : { kind: 'interpolationBarrier', a: prep.target.a, b: prep.target.b, recipeDir: run.recipeDir, points: run.points, probe: run.probe, nodeId };
  launch(run, spec);
}

/** Barrier between two models (A→B), e.g. an Align node's inputs before and after alignment; `append` shows it beside the current one. */
/**
 * The barrier on the straight line a → b, shown under `nodeId`. `stageNodes`: whose stages must be
 * done first (default the node's own and its inputs'; an Align node's "before" line needs only its inputs').
 */
export function previewLine(nodeId: string, a: string, b: string, label: string, show: 'replace' | 'append', stageNodes?: readonly string[]): void {
  useAnalysisUi.getState().open('barrier');
  const run = newRun(nodeId, label, { kind: 'interpolate', a, b, label }, null);
  useBarrier.getState().add(run, show);
  launch(run, { kind: 'interpolationBarrier', a, b, recipeDir: run.recipeDir, points: run.points, probe: run.probe, nodeId }, stageNodes);
}

export async function cancelBarrier(runId: string): Promise<void> {
  const r = useBarrier.getState().runs[runId];
  if (!r?.taskId) return;
  await cancelTask(r.taskId).catch(() => false);
}

/** Sets the node's slider to a preview point's value. */
export function setSliderTo(run: BarrierRun, value: number): void {
  if (run.target.kind !== 'slider') return;
  const ed = useEditor.getState();
  if (run.target.sourceId) ed.setModelParam(run.nodeId, run.target.sourceId, run.target.param, value);
  else ed.setParam(run.nodeId, run.target.param, value);
}
