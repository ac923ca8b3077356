/**
 * Each merge node's `models` inputs, as "sourceId\0label" in edge order: built once per graph and
 * shared by every merge node's store selector (each selector used to filter every edge and search
 * every node, on every store update).
 */
import { nodeLabel } from '../../../common/graph/node-label.js';
import type { GraphLike } from '../../../common/graph/graph-like.js';

const NONE: readonly string[] = [];
let builtNodes: GraphLike['nodes'] | null = null;
let builtEdges: GraphLike['edges'] | null = null;
let byMerge = new Map<string, string[]>();

export function modelInputsOf(g: GraphLike, mergeId: string): readonly string[] {
  if (g.nodes !== builtNodes || g.edges !== builtEdges) {
    const nodes = new Map(g.nodes.map((n) => [n.id, n]));
    byMerge = new Map();
    for (const e of g.edges) {
      if (e.targetHandle !== 'models') continue;
      const n = nodes.get(e.source);
      const entry = `${e.source}\u0000${n ? nodeLabel(n.data) : e.source}`;
      const list = byMerge.get(e.target);
      if (list) list.push(entry);
      else byMerge.set(e.target, [entry]);
    }
    builtNodes = g.nodes;
    builtEdges = g.edges;
  }
  return byMerge.get(mergeId) ?? NONE;
}
