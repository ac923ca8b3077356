/** Run: compile the chosen Output, pre-flight (refusing when it would not fit), start; Cancel; Open folder. */
import { compileOutput } from '../../../common/graph/compile.js';
import { formatBytes } from '../../../common/contract/format-bytes.js';
import type { JobSpec } from '../../../common/contract/run.js';
import type { ServiceEvent } from '../../../common/contract/events.js';
import { IpcClient } from '../api/ipc-client.js';
import { service } from '../api/service.js';
import { hostDirname, isSameOrInsideHostPath, normalizeHostPath, resolveHostPath } from '../host-path.js';
import { useEditor, type EditorState } from '../state/editor-store.js';
import type { FlowEdge, FlowNode } from '../state/flow-types.js';
import { flowInstance } from '../state/flow-instance.js';
import { useRun } from '../state/run-store.js';
import { useUi } from '../state/ui-store.js';
import { reportError } from './project-commands.js';
import { useDiagnostics } from '../analysis/diagnostics-store.js';
import { runStagesFor } from '../analysis/stage-commands.js';

/**
 * Which node an engine error belongs on. The output's checks (it would overwrite an input, it
 * exists, its parent cannot be made) name the output folder or its parent: the Output node, even
 * when that folder is also a model's. Else the Model whose folder holds the file it names; else the
 * node the service named (the merge that ran, or a chain's stage).
 */
export function errorNode(
  file: string | undefined,
  fallback: string | undefined,
  output: { nodeId: string; out: string } | null,
  models: readonly { nodeId: string; folder: string }[],
): string | undefined {
  if (!file) return fallback;
  const f = normalizeHostPath(file);
  if (output && (f === output.out || f === normalizeHostPath(`${output.out}/..`))) return output.nodeId;
  for (const m of models) if (isSameOrInsideHostPath(f, normalizeHostPath(m.folder))) return m.nodeId;
  return fallback;
}

/** errorNode for the run under way: its Output, and the folders of the models the editor has read. */
function runErrorNode(file: string | undefined, fallback: string | undefined): string | undefined {
  const ed = useEditor.getState();
  const { outputNodeId, out } = useRun.getState();
  const models: { nodeId: string; folder: string }[] = [];
  for (const n of ed.nodes) {
    if (n.data.kind !== 'model') continue;
    const h = ed.headers[n.data.path];
    if (h?.state === 'ok') models.push({ nodeId: n.id, folder: h.summary.folder });
  }
  return errorNode(file, fallback, outputNodeId && out ? { nodeId: outputNodeId, out } : null, models);
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
  run.begin(job.outputNodeId, job.mergeNodeId, resolveHostPath(job.out, recipeDir, useUi.getState().homeDir));
  // Another project opened while this run is prepared: it stops at the next step, showing nothing.
  const at = epoch;
  const stale = (): boolean => at !== epoch;
  try {
    // Align and Fisher-estimate nodes upstream write what the merge reads (skipped when up to date).
    const stageProblem = await runStagesFor(job.mergeNodeId);
    if (stale()) return;
    if (stageProblem) {
      useRun.getState().refuse(stageProblem.message);
      useEditor.getState().setRunErrors({ [stageProblem.nodeId]: stageProblem.message });
      return;
    }
    const pf = await service().call('run.preflight', { job: spec });
    if (stale()) return;
    useRun.getState().checked(pf);
    if (!pf.fitsOnDisk) {
      const msg = `Refused: the output needs ${formatBytes(pf.bytesToWrite)} on disk and only ${formatBytes(pf.freeDisk)} are free.`;
      useRun.getState().refuse(msg);
      useEditor.getState().setRunErrors({ [job.outputNodeId]: msg });
      return;
    }
    const { jobId } = await service().call('run.start', { job: spec });
    if (stale()) {
      void service().call('run.cancel', { jobId }).catch(() => undefined);
      return;
    }
    useRun.getState().queued(jobId);
    const held = early;
    early = [];
    applyBatch(held);
  } catch (e) {
    if (stale()) return;
    const err = e as { error?: { nodeId?: string; file?: string }; message?: string };
    const message = err.message ?? String(e);
    useRun.getState().refuse(message);
    const node = runErrorNode(err.error?.file, err.error?.nodeId ?? job.mergeNodeId);
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
/** Counts the projects opened: a run prepared for an earlier one stops (startRun). */
let epoch = 0;

function applyBatch(events: ServiceEvent[]): void {
  if (!events.length) return;
  const { failed } = useRun.getState().applyEvents(events);
  if (failed) {
    const node = runErrorNode(failed.file, failed.nodeId);
    if (node) useEditor.getState().setRunErrors({ [node]: failed.message });
  }
}

type Graph = Pick<EditorState, 'nodes' | 'edges'>;

/** The node and every node it reads from, directly or not. */
function upstreamOf(g: Graph, id: string): Set<string> {
  const seen = new Set([id]);
  const todo = [id];
  for (let t = todo.pop(); t !== undefined; t = todo.pop()) {
    for (const e of g.edges) {
      if (e.target === t && !seen.has(e.source)) {
        seen.add(e.source);
        todo.push(e.source);
      }
    }
  }
  return seen;
}

function inputsOf(edges: readonly FlowEdge[], ids: ReadonlySet<string>): string {
  return edges
    .filter((e) => ids.has(e.target))
    .map((e) => `${e.source}:${e.sourceHandle ?? ''}>${e.target}:${e.targetHandle ?? ''}`)
    .sort()
    .join('|');
}

/**
 * The run errors an edit leaves standing. An error describes a run of the graph as it was: it goes
 * when its node, or a node upstream of it, changed (settings, connections; deleted), and stays when
 * the edit is elsewhere or only moves or selects nodes (their data is then the same object).
 */
export function runErrorsAfterEdit(errors: Readonly<Record<string, string>>, prev: Graph, next: Graph): Record<string, string> {
  const dataOf = (nodes: readonly FlowNode[]) => new Map(nodes.map((n) => [n.id, n.data]));
  const before = dataOf(prev.nodes);
  const after = dataOf(next.nodes);
  const kept: Record<string, string> = {};
  for (const [id, message] of Object.entries(errors)) {
    const up = upstreamOf(next, id);
    const upBefore = upstreamOf(prev, id);
    const same =
      after.has(id) &&
      up.size === upBefore.size &&
      [...up].every((u) => upBefore.has(u) && before.get(u) === after.get(u)) &&
      inputsOf(prev.edges, up) === inputsOf(next.edges, up);
    if (same) kept[id] = message;
  }
  return kept;
}

/**
 * Calls `listener` when a project is opened or created (New, Open, Import, Open demo, restored work).
 * The editor store shows it by an empty history: loadProject and newProject start one, while every
 * edit, undo and redo leaves past or future non-empty.
 */
export function onProjectReplaced(listener: () => void): () => void {
  return useEditor.subscribe((s, prev) => {
    if (s.past !== prev.past && s.past.length === 0 && s.future.length === 0) listener();
  });
}

/**
 * Another project: the run panel goes back to Ready. A run in progress is cancelled (it was the old
 * graph's; left running it would hold the queue, unseen and beyond Cancel) and a notice says so.
 */
function resetForNewProject(): void {
  epoch += 1;
  early = [];
  const { status, jobId } = useRun.getState();
  if (status === 'checking' || status === 'queued' || status === 'running') {
    if (jobId) void service().call('run.cancel', { jobId }).catch(() => undefined);
    useUi.getState().notify('Opening another project cancelled the merge in progress: its output was not written.', 'info');
  }
  useRun.getState().reset();
}

/** Wire service events to the run panel (and node errors); keep both to the graph shown. */
export function listenToRuns(): () => void {
  const offProject = onProjectReplaced(resetForNewProject);
  const offEdits = useEditor.subscribe((s, prev) => {
    if ((s.nodes === prev.nodes && s.edges === prev.edges) || Object.keys(s.runErrors).length === 0) return;
    const kept = runErrorsAfterEdit(s.runErrors, prev, s);
    if (Object.keys(kept).length !== Object.keys(s.runErrors).length) s.setRunErrors(kept);
  });
  const offEvents = service().onEvents((events) => {
    const s = useRun.getState();
    if (!s.jobId && s.status === 'checking') early.push(...events);
    else applyBatch(events);
  });
  return () => {
    offProject();
    offEdits();
    offEvents();
  };
}
