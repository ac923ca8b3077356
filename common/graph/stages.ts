/**
 * The stages a merge needs run first (issue 6): Align nodes write B permuted onto A into their
 * folder, Fisher nodes in estimate mode write their Fisher file; a stage's own inputs come first.
 * LoRA nodes need no stage (the run applies the adapter as it reads).
 */
import type { ProbeTextRef } from '../contract/tasks.js';
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';
import { modelPath } from './model-source.js';
import { portsOf } from './ports.js';
import { fisherModel } from './fisher-inputs.js';

export type StagePlan =
  | { kind: 'align'; nodeId: string; reference: string; model: string; out: string; seed: number; maxSweeps: number }
  | { kind: 'fisherEstimate'; nodeId: string; model: string; out: string; texts: ProbeTextRef[]; window?: number };

export type StagesResult = { ok: true; stages: StagePlan[] } | { ok: false; nodeId: string; reason: string };

/** The stage of one node (null for nodes that are not stages, and for Fisher nodes reading a file). */
export function stageOf(g: GraphLike, nodeId: string): { ok: true; stage: StagePlan | null } | { ok: false; nodeId: string; reason: string } {
  const n = nodeById(g, nodeId);
  if (!n) return { ok: true, stage: null };
  if (n.data.kind === 'align') {
    const a = modelPath(g, nodeId, 'reference', 'Reference (A)');
    if (!a.ok) return a;
    const b = modelPath(g, nodeId, 'model', 'Model to permute (B)');
    if (!b.ok) return b;
    if (!n.data.folder.trim()) return { ok: false, nodeId, reason: 'Choose the folder the aligned model is written to.' };
    return { ok: true, stage: { kind: 'align', nodeId, reference: a.path, model: b.path, out: n.data.folder.trim(), seed: n.data.seed, maxSweeps: n.data.maxSweeps } };
  }
  if (n.data.kind === 'fisher' && n.data.source === 'estimate') {
    // Refuses an earlier stage's result, which does not exist when the estimate runs.
    const m = fisherModel(g, nodeId, undefined, 'Model');
    if (!m.ok) return m;
    if (!n.data.file.trim()) return { ok: false, nodeId, reason: 'Choose where the estimated Fisher is written.' };
    const stage: StagePlan = { kind: 'fisherEstimate', nodeId, model: m.path, out: n.data.file.trim(), texts: n.data.texts };
    if (n.data.window !== undefined) stage.window = n.data.window;
    return { ok: true, stage };
  }
  return { ok: true, stage: null };
}

/** Every stage upstream of `nodeId` (itself included), inputs before the nodes that read them. */
export function upstreamStages(g: GraphLike, nodeId: string): StagesResult {
  const out: StagePlan[] = [];
  const seen = new Set<string>();
  const visit = (id: string): { ok: false; nodeId: string; reason: string } | null => {
    if (seen.has(id)) return null;
    seen.add(id);
    const n = nodeById(g, id);
    if (!n) return null;
    for (const p of portsOf(n.data).inputs) {
      for (const e of edgesInto(g, id, p.id)) {
        const bad = visit(e.source);
        if (bad) return bad;
      }
    }
    const s = stageOf(g, id);
    if (!s.ok) return s;
    if (s.stage) out.push(s.stage);
    return null;
  };
  const bad = visit(nodeId);
  return bad ?? { ok: true, stages: out };
}
