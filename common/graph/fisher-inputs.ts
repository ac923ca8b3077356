/**
 * Fisher merging's second input: each model of the merge is paired with the Fisher node estimated
 * on that same model (the Fisher node's own Model input), so no order has to be kept by hand.
 * A Fisher node's Model may be an earlier stage of a chain (mergekit-multi): it is then that stage's
 * name, as in the YAML (`model: soup` with `fisher: FILE`), and its Fisher must be a file.
 */
import type { MergeRecipe } from '../recipe/types.js';
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';
import { modelPath } from './model-source.js';
import { nodeLabel } from './node-label.js';
import { FISHER_ESTIMATE_OF_STAGE, isStageNode, stageNames } from './chain.js';

export type FisherModel = { ok: true; path: string; nodeId: string; stage: boolean } | { ok: false; nodeId: string; reason: string };

/** The model a Fisher node is for: a model's path, or an earlier stage's name when a merge or Layer assembly feeds its Model. */
export function fisherModel(g: GraphLike, fisherNodeId: string, names: ReadonlyMap<string, string> = stageNames(g), what = 'the Fisher node’s Model'): FisherModel {
  const [e] = edgesInto(g, fisherNodeId, 'model');
  const src = e ? nodeById(g, e.source) : undefined;
  if (src && isStageNode(src.data)) {
    const f = nodeById(g, fisherNodeId);
    if (f?.data.kind === 'fisher' && f.data.source === 'estimate') return { ok: false, nodeId: fisherNodeId, reason: FISHER_ESTIMATE_OF_STAGE };
    return { ok: true, path: names.get(src.id) ?? src.id, nodeId: src.id, stage: true };
  }
  const m = modelPath(g, fisherNodeId, 'model', what);
  return m.ok ? { ...m, stage: false } : m;
}

export type FisherPairing = { ok: true; files: string[]; fisherNodeIds: string[] } | { ok: false; nodeId: string; reason: string };

/** `names`: every stage node's name (chain.ts stageNames), for Fisher nodes on an earlier stage's result. */
export function pairFishers(g: GraphLike, mergeNodeId: string, recipe: MergeRecipe, names: ReadonlyMap<string, string> = stageNames(g)): FisherPairing {
  const byModel = new Map<string, { file: string; nodeId: string }>();
  const fileSet = new Set<string>();
  for (const e of edgesInto(g, mergeNodeId, 'fishers')) {
    const f = nodeById(g, e.source);
    if (!f || f.data.kind !== 'fisher') continue;
    if (!f.data.file.trim()) return { ok: false, nodeId: f.id, reason: f.data.source === 'file' ? 'Choose the Fisher file.' : 'Choose where the estimated Fisher is written.' };
    const m = fisherModel(g, f.id, names);
    if (!m.ok) return m;
    if (byModel.has(m.path)) return { ok: false, nodeId: mergeNodeId, reason: `Two Fisher nodes are connected for ${m.path}: keep one.` };
    if (fileSet.has(f.data.file.trim())) return { ok: false, nodeId: f.id, reason: 'Another Fisher node of this merge uses the same file: choose another.' };
    fileSet.add(f.data.file.trim());
    byModel.set(m.path, { file: f.data.file.trim(), nodeId: f.id });
  }
  const files: string[] = [];
  const fisherNodeIds: string[] = [];
  for (const spec of recipe.models ?? []) {
    const f = byModel.get(spec.model);
    if (!f) {
      const label = spec.model.split(/[\\/]+/).filter(Boolean).pop() ?? spec.model;
      return { ok: false, nodeId: mergeNodeId, reason: `No Fisher information for ${label}: connect a Fisher node on that model to Fisher information.` };
    }
    if (spec.lora) return { ok: false, nodeId: mergeNodeId, reason: 'Fisher merging reads plain models, not base + LoRA adapter.' };
    files.push(f.file);
    fisherNodeIds.push(f.nodeId);
    byModel.delete(spec.model);
  }
  const [extra] = byModel.values();
  if (extra) {
    const n = nodeById(g, extra.nodeId);
    return { ok: false, nodeId: extra.nodeId, reason: `${n ? nodeLabel(n.data) : 'This Fisher node'} is for a model that is not among the merge's models.` };
  }
  return { ok: true, files, fisherNodeIds };
}
