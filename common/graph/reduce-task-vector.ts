/**
 * A chain of Task Vector / Scale / Add nodes reduces to a signed sum of task vectors over one base:
 * Σ c_j (x_j − b). That is exactly what task arithmetic weights express.
 */
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';

export interface TaskVectorTerm {
  /** The model node whose weights x_j enter the sum. */
  modelNodeId: string;
  path: string;
  coefficient: number;
}
export interface ReducedTaskVector {
  base: { nodeId: string; path: string };
  terms: TaskVectorTerm[];
}
export type Reduction = { ok: true; value: ReducedTaskVector } | { ok: false; nodeId: string; reason: string };

function modelInput(g: GraphLike, nodeId: string, handle: string): { nodeId: string; path: string } | string {
  const [edge] = edgesInto(g, nodeId, handle);
  if (!edge) return `Connect a Model to its ${handle === 'base' ? 'Base' : 'Model'} input.`;
  const src = nodeById(g, edge.source);
  if (!src || src.data.kind !== 'model') return 'Task vectors are taken between Model nodes.';
  if (!src.data.path) return 'The connected Model has no path yet.';
  return { nodeId: src.id, path: src.data.path };
}

export function reduceTaskVector(g: GraphLike, nodeId: string): Reduction {
  const node = nodeById(g, nodeId);
  if (!node) return { ok: false, nodeId, reason: 'Missing node.' };
  switch (node.data.kind) {
    case 'taskVector': {
      const model = modelInput(g, nodeId, 'model');
      const base = modelInput(g, nodeId, 'base');
      if (typeof model === 'string') return { ok: false, nodeId, reason: model };
      if (typeof base === 'string') return { ok: false, nodeId, reason: base };
      return { ok: true, value: { base, terms: [{ modelNodeId: model.nodeId, path: model.path, coefficient: 1 }] } };
    }
    case 'scale': {
      const [edge] = edgesInto(g, nodeId, 'taskVector');
      if (!edge) return { ok: false, nodeId, reason: 'Connect a task vector to scale.' };
      const inner = reduceTaskVector(g, edge.source);
      if (!inner.ok) return inner;
      const alpha = node.data.alpha;
      return { ok: true, value: { base: inner.value.base, terms: inner.value.terms.map((t) => ({ ...t, coefficient: t.coefficient * alpha })) } };
    }
    case 'add': {
      const edges = edgesInto(g, nodeId, 'taskVectors');
      if (edges.length === 0) return { ok: false, nodeId, reason: 'Connect the task vectors to add.' };
      let base: ReducedTaskVector['base'] | undefined;
      const terms = new Map<string, TaskVectorTerm>();
      for (const e of edges) {
        const inner = reduceTaskVector(g, e.source);
        if (!inner.ok) return inner;
        if (base && inner.value.base.path !== base.path) {
          return { ok: false, nodeId, reason: `Task vectors over different bases cannot be added (${base.path} and ${inner.value.base.path}).` };
        }
        base = inner.value.base;
        for (const t of inner.value.terms) {
          const prev = terms.get(t.modelNodeId);
          terms.set(t.modelNodeId, prev ? { ...prev, coefficient: prev.coefficient + t.coefficient } : t);
        }
      }
      return { ok: true, value: { base: base as ReducedTaskVector['base'], terms: [...terms.values()] } };
    }
    default:
      return { ok: false, nodeId, reason: 'Not a task vector.' };
  }
}
