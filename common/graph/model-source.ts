/**
 * Nodes that stand for a model on a weights edge: a Model (its path), an Align node (the folder its
 * stage writes B permuted into), and a LoRA node in model mode (its base with the adapter applied,
 * mergekit's `model+lora`). Refusals carry the node to show them on.
 */
import type { ModelSpec } from '../recipe/types.js';
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';

export type ModelSource = { ok: true; spec: Pick<ModelSpec, 'model' | 'lora'>; nodeId: string } | { ok: false; nodeId: string; reason: string };

/** The single input on `handle` of node `id`, as a model. */
export function modelInput(g: GraphLike, id: string, handle: string, what: string): ModelSource {
  const [e] = edgesInto(g, id, handle);
  if (!e) return { ok: false, nodeId: id, reason: `Connect a model to ${what}.` };
  const kind = nodeById(g, e.source)?.data.kind;
  if (kind === 'merge' || kind === 'layerAssembly') {
    // A chain's result exists only once its stage has run: only merges and Layer assemblies read it (chain.ts).
    return { ok: false, nodeId: id, reason: `${capitalized(what)} takes a model, not another merge’s result: write that merge to an Output and load its folder as a Model.` };
  }
  return modelSource(g, e.source);
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function modelSource(g: GraphLike, nodeId: string): ModelSource {
  const n = nodeById(g, nodeId);
  if (!n) return { ok: false, nodeId, reason: 'Missing node.' };
  switch (n.data.kind) {
    case 'model':
      if (!n.data.path.trim()) return { ok: false, nodeId, reason: 'Choose a model folder or file.' };
      return { ok: true, spec: { model: n.data.path }, nodeId };
    case 'align':
      if (!n.data.folder.trim()) return { ok: false, nodeId, reason: 'Choose the folder the aligned model is written to.' };
      return { ok: true, spec: { model: n.data.folder.trim() }, nodeId };
    case 'lora': {
      if (!n.data.adapter.trim()) return { ok: false, nodeId, reason: 'Choose the LoRA adapter folder.' };
      const base = modelInput(g, nodeId, 'base', 'the LoRA node’s Base');
      if (!base.ok) return base;
      if (base.spec.lora) return { ok: false, nodeId, reason: 'The base of a LoRA node cannot itself carry an adapter.' };
      return { ok: true, spec: { model: base.spec.model, lora: n.data.adapter.trim() }, nodeId };
    }
    default:
      return { ok: false, nodeId, reason: 'Not a model.' };
  }
}

/** A plain model path (Model or Align node): what alignment and Fisher estimation read. */
export function modelPath(g: GraphLike, id: string, handle: string, what: string): { ok: true; path: string; nodeId: string } | { ok: false; nodeId: string; reason: string } {
  const m = modelInput(g, id, handle, what);
  if (!m.ok) return m;
  if (m.spec.lora) return { ok: false, nodeId: id, reason: 'A LoRA node gives base + adapter only to merges: write it out with an Output first.' };
  return { ok: true, path: m.spec.model, nodeId: m.nodeId };
}
