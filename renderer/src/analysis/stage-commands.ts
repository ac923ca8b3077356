/**
 * Running issue 6's stages from the app: one node's (its "Align" / "Estimate Fisher" button), or
 * every stage a merge needs before it runs (upstream first); the Fisher estimate's plan (time,
 * memory) asked for before it starts; the Align node's barrier before and after alignment.
 */
import type { TaskSpec } from '../../../common/contract/tasks.js';
import { stageOf, upstreamStages, type StagePlan } from '../../../common/graph/stages.js';
import { useEditor } from '../state/editor-store.js';
import { useUi } from '../state/ui-store.js';
import { previewLine, projectDir } from './barrier-commands.js';
import { service } from '../api/service.js';
import { useStages, type NodeStage } from './stage-store.js';
import { cancelTask, runTask } from './task-client.js';

function graph() {
  const s = useEditor.getState();
  return { nodes: s.nodes, edges: s.edges };
}

function specOf(stage: StagePlan, force: boolean): TaskSpec {
  const recipeDir = projectDir();
  if (stage.kind === 'align') {
    return { kind: 'align', reference: stage.reference, model: stage.model, out: stage.out, recipeDir, seed: stage.seed, maxSweeps: stage.maxSweeps, force, nodeId: stage.nodeId };
  }
  const probe = { texts: stage.texts, ...(stage.window !== undefined ? { window: stage.window, stride: stage.window } : {}) };
  return { kind: 'fisherEstimate', model: stage.model, out: stage.out, recipeDir, probe, force, nodeId: stage.nodeId };
}

/**
 * Patches a node's stage unless another project was opened since `epoch` (its store was cleared): a
 * late answer of the old graph's task must not land on a node of the new one that has the same id.
 */
function patchSince(epoch: number, nodeId: string, patch: Partial<NodeStage>): boolean {
  const store = useStages.getState();
  if (store.epoch !== epoch) return false;
  store.patch(nodeId, patch);
  return true;
}

/** Runs one stage; resolves true when it finished (or was already done), false once its project is gone. */
async function runPlan(stage: StagePlan, force: boolean, epoch: number): Promise<boolean> {
  if (!patchSince(epoch, stage.nodeId, { status: 'queued', error: null, step: null })) return false;
  try {
    const result = await runTask(
      specOf(stage, force),
      (e) => {
        if (e.type === 'step') patchSince(epoch, stage.nodeId, { status: 'running', step: e });
      },
      (taskId) => {
        // Queued after another project opened: nothing shows it, so nothing could cancel it.
        if (!patchSince(epoch, stage.nodeId, { taskId })) void cancelTask(taskId).catch(() => false);
      },
    );
    if (result.kind !== 'align' && result.kind !== 'fisher') throw new Error('unexpected result');
    return patchSince(epoch, stage.nodeId, { status: 'done', result, taskId: null, step: null });
  } catch (e) {
    const err = e as { error?: { kind?: string }; message?: string };
    const cancelled = err.error?.kind === 'cancelled';
    patchSince(epoch, stage.nodeId, { status: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : (err.message ?? String(e)), taskId: null, step: null });
    return false;
  }
}

/** The node's stage, after the stages its inputs need. `force` recomputes the node's own even when up to date. */
export async function runNodeStage(nodeId: string, force = false): Promise<boolean> {
  const g = graph();
  const up = upstreamStages(g, nodeId);
  if (!up.ok) {
    useUi.getState().notify(up.reason, 'error');
    return false;
  }
  const epoch = useStages.getState().epoch;
  for (const s of up.stages) if (!(await runPlan(s, force && s.nodeId === nodeId, epoch))) return false;
  return true;
}

/** Before a run: every stage the merge needs. Resolves with the refusal to show, or null when all are done. */
export async function runStagesFor(mergeNodeId: string): Promise<{ nodeId: string; message: string } | null> {
  const up = upstreamStages(graph(), mergeNodeId);
  if (!up.ok) return { nodeId: up.nodeId, message: up.reason };
  const epoch = useStages.getState().epoch;
  for (const s of up.stages) {
    if (!(await runPlan(s, false, epoch))) {
      const st = useStages.getState().nodes[s.nodeId];
      return { nodeId: s.nodeId, message: st?.status === 'cancelled' ? 'Cancelled.' : `${s.kind === 'align' ? 'Alignment' : 'Fisher estimate'} failed: ${st?.error ?? 'unknown error'}` };
    }
  }
  return null;
}

/**
 * Another project: the Align and Fisher nodes' results, statuses and estimate plans describe the old
 * graph, so they go; a stage running or queued for it is cancelled.
 */
export function forgetStages(): void {
  for (const st of Object.values(useStages.getState().nodes)) {
    if (st.taskId && (st.status === 'queued' || st.status === 'running')) void cancelTask(st.taskId).catch(() => false);
  }
  useStages.getState().clear();
}

export async function cancelNodeStage(nodeId: string): Promise<void> {
  const t = useStages.getState().nodes[nodeId]?.taskId;
  if (t) await cancelTask(t).catch(() => false);
}

/** The Align node's barrier between A and B, before alignment and after (B as aligned), side by side. */
export async function alignBarriers(nodeId: string): Promise<void> {
  const s = stageOf(graph(), nodeId);
  if (!s.ok || !s.stage || s.stage.kind !== 'align') {
    useUi.getState().notify(s.ok ? 'Connect both models to the Align node first.' : s.reason, 'error');
    return;
  }
  const { reference, model, out } = s.stage;
  // Before: needs only what A and B come from (not the alignment itself), so it starts at once.
  const inputs = useEditor.getState().edges.filter((e) => e.target === nodeId).map((e) => e.source);
  previewLine(nodeId, reference, model, 'Before alignment: A → B', 'replace', inputs);
  // Queued behind the alignment (tasks run one at a time, in order).
  if (!(await runNodeStage(nodeId))) return;
  // After: everything it reads was just brought up to date (the node keeps saying so, not "up to date").
  previewLine(nodeId, reference, out, 'After alignment: A → aligned B', 'append', []);
}

/** Asks the service how much work estimating this Fisher node would be. */
export async function planFisherNode(nodeId: string): Promise<void> {
  const epoch = useStages.getState().epoch;
  const s = stageOf(graph(), nodeId);
  if (!s.ok || !s.stage || s.stage.kind !== 'fisherEstimate') {
    patchSince(epoch, nodeId, { plan: null, planError: s.ok ? null : s.reason });
    return;
  }
  const st = s.stage;
  try {
    const plan = await service().call('fisher.plan', {
      model: st.model,
      out: st.out,
      recipeDir: projectDir(),
      probe: { texts: st.texts, ...(st.window !== undefined ? { window: st.window, stride: st.window } : {}) },
    });
    patchSince(epoch, nodeId, { plan, planError: null });
  } catch (e) {
    patchSince(epoch, nodeId, { plan: null, planError: e instanceof Error ? e.message : String(e) });
  }
}

