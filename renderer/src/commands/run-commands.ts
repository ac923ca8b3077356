/** Run: compile the chosen Output, pre-flight (refusing when it would not fit), start; Cancel; Open folder. */
import { compileOutput } from '../../../common/graph/compile.js';
import { formatBytes } from '../../../common/contract/format-bytes.js';
import type { JobSpec } from '../../../common/contract/run.js';
import type { ServiceEvent } from '../../../common/contract/events.js';
import { IpcClient } from '../api/ipc-client.js';
import { service } from '../api/service.js';
import { hostDirname } from '../host-path.js';
import { useEditor } from '../state/editor-store.js';
import { flowInstance } from '../state/flow-instance.js';
import { useRun } from '../state/run-store.js';
import { useUi } from '../state/ui-store.js';
import { reportError } from './project-commands.js';
import { useDiagnostics } from '../analysis/diagnostics-store.js';
import { runStagesFor } from '../analysis/stage-commands.js';

/** Which node an engine error belongs on: the Model whose file it names, else the merge node. */
function errorNode(file: string | undefined, fallback: string | undefined): string | undefined {
  if (!file) return fallback;
  const ed = useEditor.getState();
  for (const n of ed.nodes) {
    if (n.data.kind !== 'model') continue;
    const h = ed.headers[n.data.path];
    const folder = h?.state === 'ok' ? h.summary.folder : null;
    if (folder && (file === folder || file.startsWith(folder + '/') || file.startsWith(folder + '\\'))) return n.id;
  }
  return fallback;
}

export function chooseOutput(): string | { error: string } {
  const nodes = useEditor.getState().nodes;
  const outputs = nodes.filter((n) => n.data.kind === 'output');
  if (outputs.length === 0) return { error: 'Nothing to run: add an Output node and connect a merge to it.' };
  const selected = outputs.filter((n) => n.selected);
  if (selected.length === 1) return selected[0].id;
  if (outputs.length === 1) return outputs[0].id;
  return { error: 'Several Output nodes: select the one to run.' };
}

export async function startRun(): Promise<void> {
  const run = useRun.getState();
  if (run.status === 'checking' || run.status === 'queued' || run.status === 'running') return;
  const ed = useEditor.getState();
  ed.setRunErrors({});
  const outputId = chooseOutput();
  if (typeof outputId !== 'string') {
    run.reset();
    run.refuse(outputId.error);
    return;
  }
  const compiled = compileOutput({ nodes: ed.nodes, edges: ed.edges }, outputId);
  if (!compiled.ok) {
    run.reset();
    run.refuse(compiled.reason);
    ed.setRunErrors({ [compiled.nodeId]: compiled.reason });
    return;
  }
  const { job } = compiled;
  const involved = [job.outputNodeId, job.mergeNodeId, ...job.modelNodeIds, ...(job.stages ?? []).flatMap((s) => [s.mergeNodeId, ...s.modelNodeIds])];
  const problem = involved.find((id) => ed.problems[id]);
  if (problem) {
    run.reset();
    run.refuse(`Fix the problem shown on the node first: ${ed.problems[problem]}`);
    return;
  }
  const recipeDir = ed.path ? hostDirname(ed.path) : useUi.getState().homeDir;
  const spec: JobSpec = {
    recipe: job.recipe,
    recipeDir,
    out: job.out,
    force: job.force,
    shardSize: job.shardSize,
    // A chain's recipes carry each stage's own seed (a run-wide seed would override them all).
    ...(job.stages ? {} : { seed: job.seed }),
    mergeNodeId: job.mergeNodeId,
    outputNodeId: job.outputNodeId,
    graph: ed.toProject(flowInstance()?.getViewport()),
    // The live heatmap (analysis/DiagnosticsHeatmap.tsx) shows these as the run goes.
    diagnostics: useDiagnostics.getState().enabled,
    // A chain of merges: the earlier merges run first as named stages (temporary outputs beside the final one).
    ...(job.stages ? { stages: job.stages.map((s) => ({ recipe: s.recipe, mergeNodeId: s.mergeNodeId })) } : {}),
  };
  run.begin(job.outputNodeId, job.mergeNodeId);
  try {
    // Align and Fisher-estimate nodes upstream write what the merge reads (skipped when up to date).
    const stageProblem = await runStagesFor(job.mergeNodeId);
    if (stageProblem) {
      useRun.getState().refuse(stageProblem.message);
      useEditor.getState().setRunErrors({ [stageProblem.nodeId]: stageProblem.message });
      return;
    }
    const pf = await service().call('run.preflight', { job: spec });
    useRun.getState().checked(pf);
    if (!pf.fitsOnDisk) {
      const msg = `Refused: the output needs ${formatBytes(pf.bytesToWrite)} on disk and only ${formatBytes(pf.freeDisk)} are free.`;
      useRun.getState().refuse(msg);
      useEditor.getState().setRunErrors({ [job.outputNodeId]: msg });
      return;
    }
    const { jobId } = await service().call('run.start', { job: spec });
    useRun.getState().queued(jobId);
    const held = early;
    early = [];
    applyBatch(held);
  } catch (e) {
    const err = e as { error?: { nodeId?: string; file?: string }; message?: string };
    const message = err.message ?? String(e);
    useRun.getState().refuse(message);
    const node = errorNode(err.error?.file, err.error?.nodeId ?? job.mergeNodeId);
    if (node) useEditor.getState().setRunErrors({ [node]: message });
  }
}

export async function cancelRun(): Promise<void> {
  const { jobId } = useRun.getState();
  if (!jobId) return;
  try {
    await service().call('run.cancel', { jobId });
  } catch (e) {
    reportError(e);
  }
}

export async function revealOutput(path: string): Promise<void> {
  const client = service();
  if (client instanceof IpcClient) {
    await client.desktop('shell.reveal', { path });
    return;
  }
  try {
    await navigator.clipboard.writeText(path);
    useUi.getState().notify(`The output is on the host at ${path} (path copied).`, 'info');
  } catch {
    useUi.getState().notify(`The output is on the host at ${path}.`, 'info');
  }
}

/** Events that arrive before run.start has answered with the job id are held until it does. */
let early: ServiceEvent[] = [];

function applyBatch(events: ServiceEvent[]): void {
  if (!events.length) return;
  const { failed } = useRun.getState().applyEvents(events);
  if (failed) {
    const node = errorNode(failed.file, failed.nodeId);
    if (node) useEditor.getState().setRunErrors({ [node]: failed.message });
  }
}

/** Wire service events to the run panel (and node errors). */
export function listenToRuns(): () => void {
  return service().onEvents((events) => {
    const s = useRun.getState();
    if (!s.jobId && s.status === 'checking') early.push(...events);
    else applyBatch(events);
  });
}
