/**
 * The post-merge check (issue 5): when a run of a previewed merge node finishes, probe the written
 * model once on the preview's texts and compare with the preview's value at the setting written
 * (the preview's point when the run wrote one of them, else the preview machinery at exactly that
 * setting). A difference beyond the engine's tolerance (1e-4 nats) is an error, shown on the node.
 */
import { compileOutput } from '../../../common/graph/compile.js';
import { axisValue, sameSetting } from '../../../common/graph/preview-target.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { useEditor } from '../state/editor-store.js';
import { useRun, type RunState } from '../state/run-store.js';
import { useUi } from '../state/ui-store.js';
import { useAnalysisUi } from './analysis-ui.js';
import { projectDir } from './barrier-commands.js';
import { latestSliderPreview, type BarrierRun } from './barrier-store.js';
import { fmtValue } from './BarrierChart.js';
import { useCheck } from './check-store.js';
import { cancelTask, runTask } from './task-client.js';

/** The recipe each run wrote, captured when it starts (the graph may change while it runs). */
let written: { mergeNodeId: string; recipe: MergeRecipe; recipeDir: string } | null = null;

function previewLosses(run: BarrierRun, j: number): number[] | null {
  const losses = run.result?.texts.map((t) => t.points[j]?.loss ?? null) ?? [];
  return losses.length && losses.every((l): l is number => l !== null) ? losses : null;
}

/** Counts the checks begun: one begun since (or another project opened) makes an older one stop without showing anything. */
let checks = 0;

async function check(mergeNodeId: string, out: string, recipe: MergeRecipe, recipeDir: string): Promise<void> {
  const mine = ++checks;
  const stale = (): boolean => mine !== checks;
  const preview = latestSliderPreview(mergeNodeId);
  const store = useCheck.getState();
  if (!preview || preview.target.kind !== 'slider' || !preview.recipe || !preview.result) {
    store.set({ status: 'no-preview', nodeId: mergeNodeId, out, result: null, error: null, note: null, setting: null, source: null });
    return;
  }
  const { axis, label, defaultValue } = preview.target;
  const values = preview.result.points.map((p) => p.value);
  const j = values.findIndex((v) => v !== null && sameSetting(preview.recipe as MergeRecipe, axis, v, recipe, defaultValue));
  const v = axisValue(recipe, axis) ?? defaultValue;
  useAnalysisUi.getState().open('barrier');
  if (j < 0 && typeof v !== 'number') {
    // Nothing failed: a curve over the layers is no point of the preview's line, so there is nothing to compare with.
    const note = `${label} is set per layer, so the merge is not a point on the preview’s line.`;
    store.set({ status: 'not-comparable', nodeId: mergeNodeId, out, result: null, error: null, note, setting: `${label} per layer`, source: null, taskId: null });
    return;
  }
  const setting = typeof v === 'number' ? `${label} = ${fmtValue(v)}` : `${label} per layer`;
  store.set({ status: 'running', nodeId: mergeNodeId, out, result: null, error: null, note: null, setting, source: j >= 0 ? 'point' : 'computed' });
  try {
    let losses = j >= 0 ? previewLosses(preview, j) : null;
    if (!losses) {
      // The run wrote a setting that is not a point of the preview: the preview machinery at exactly that setting.
      if (typeof v !== 'number') throw new Error(`${label} is set per layer: the written setting is not a point of the preview.`);
      const r = await runTask({ kind: 'sweep', recipe, recipeDir, axes: [{ ...axis, values: [v] }], probe: preview.probe, nodeId: mergeNodeId }, undefined, (id) =>
        useCheck.getState().set({ taskId: id }),
      );
      if (stale()) return;
      if (r.kind !== 'sweep') throw new Error('unexpected result');
      const cell = r.cells[0];
      if (cell.error) throw new Error(cell.error);
      if (cell.losses.some((l) => l === null)) throw new Error('the preview at the written setting has no finite loss');
      losses = cell.losses as number[];
    }
    const result = await runTask({ kind: 'check', out, recipeDir, probe: preview.probe, preview: losses, nodeId: mergeNodeId }, undefined, (id) =>
      useCheck.getState().set({ taskId: id }),
    );
    if (stale()) return;
    if (result.kind !== 'check') throw new Error('unexpected result');
    useCheck.getState().set({ status: 'done', result, taskId: null });
    if (!result.ok) {
      const message = `Post-merge check failed: ${result.message ?? 'the written model differs from the preview'}`;
      useEditor.getState().setRunErrors({ ...useEditor.getState().runErrors, [mergeNodeId]: message });
      useUi.getState().notify(message, 'error');
    }
  } catch (e) {
    if (stale()) return;
    const err = e as { error?: { kind?: string }; message?: string };
    if (err.error?.kind === 'cancelled') useCheck.getState().set({ status: 'cancelled', taskId: null });
    else useCheck.getState().set({ status: 'failed', error: err.message ?? String(e), taskId: null });
  }
}

/** Another project: the check of the old one's output goes, its probe is cancelled, and a run still going is not checked. */
export function forgetCheck(): void {
  checks += 1;
  written = null;
  const { taskId, status } = useCheck.getState();
  if (taskId && status === 'running') void cancelTask(taskId).catch(() => false);
  useCheck.getState().reset();
}

function onRunChange(s: RunState, prev: RunState): void {
  if (s.status === 'checking' && prev.status !== 'checking' && s.mergeNodeId && s.outputNodeId) {
    // The same compilation the run command just made, from the same graph.
    const ed = useEditor.getState();
    const c = compileOutput({ nodes: ed.nodes, edges: ed.edges }, s.outputNodeId);
    written = c.ok ? { mergeNodeId: s.mergeNodeId, recipe: c.job.recipe, recipeDir: projectDir() } : null;
  }
  if (s.status === 'done' && prev.status !== 'done' && s.result && written && written.mergeNodeId === s.mergeNodeId) {
    const w = written;
    written = null;
    void check(w.mergeNodeId, s.result.out, w.recipe, w.recipeDir);
  }
}

/** Checks every finished run of a previewed merge node. */
export function installPostMergeCheck(): () => void {
  return useRun.subscribe(onRunChange);
}
