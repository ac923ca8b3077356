/**
 * Chains of merges (mergekit-multi): a merge or Layer assembly node's result feeding another
 * merge's or assembly's Models or Base. Every such node upstream of the one an Output writes is a
 * named stage, run before the nodes that read it; its name stands for its result in their recipes
 * (a Layer assembly is a `slices:` stage).
 */
import type { NodeData } from './project-schema.js';
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';

/** The inputs of a merge or Layer assembly node that may be fed by another stage. */
export const CHAIN_HANDLES = ['base', 'models'] as const;

/** Nodes that are stages of a chain: a merge, or a Layer assembly (mergekit's `slices:` form). */
export function isStageNode(data: NodeData | undefined): data is Extract<NodeData, { kind: 'merge' | 'layerAssembly' }> {
  return data?.kind === 'merge' || data?.kind === 'layerAssembly';
}

/** Why a Fisher node cannot estimate on a chain's result: that model exists only once its stage has run (a Fisher file for it works). */
export const FISHER_ESTIMATE_OF_STAGE =
  'An earlier merge’s result exists only once its stage has run, so its Fisher cannot be estimated here: choose a Fisher file for it (Source: file), or write that merge to an Output and load its folder as a Model.';

export type UpstreamMerges = { ok: true; order: string[] } | { ok: false; nodeId: string; reason: string };

/** The stage nodes (merges, Layer assemblies) feeding `mergeNodeId` directly. */
export function feedingMerges(g: GraphLike, mergeNodeId: string): string[] {
  const ids: string[] = [];
  for (const h of CHAIN_HANDLES) {
    for (const e of edgesInto(g, mergeNodeId, h)) {
      if (isStageNode(nodeById(g, e.source)?.data) && !ids.includes(e.source)) ids.push(e.source);
    }
  }
  return ids;
}

/**
 * The stage nodes `mergeNodeId` needs first, in run order (each after the merges it reads; a merge read
 * twice runs once). A cycle is refused on a node in it.
 */
export function upstreamMerges(g: GraphLike, mergeNodeId: string): UpstreamMerges {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): { ok: false; nodeId: string; reason: string } | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return { ok: false, nodeId: id, reason: 'These merges feed each other in a cycle: remove one of the edges.' };
    state.set(id, 'visiting');
    for (const up of feedingMerges(g, id)) {
      const bad = visit(up);
      if (bad) return bad;
    }
    state.set(id, 'done');
    if (id !== mergeNodeId) order.push(id);
    return null;
  };
  return visit(mergeNodeId) ?? { ok: true, order };
}

/** Every reference a graph's nodes write (model paths, adapters, folders): a stage name must differ from all. */
function graphReferences(g: GraphLike): Set<string> {
  const refs = new Set<string>();
  for (const n of g.nodes) {
    if (n.data.kind === 'model') refs.add(n.data.path.trim());
    else if (n.data.kind === 'lora') refs.add(n.data.adapter.trim());
    else if (n.data.kind === 'align') refs.add(n.data.folder.trim());
  }
  return refs;
}

/**
 * The stage name of every merge and Layer assembly node: its label (else its id), made unique and
 * different from every model reference in the graph (a suffix -2, -3… when taken). Deterministic
 * in node order.
 */
export function stageNames(g: GraphLike): Map<string, string> {
  const taken = graphReferences(g);
  const names = new Map<string, string>();
  for (const n of g.nodes) {
    if (!isStageNode(n.data)) continue;
    // '+' would read as mergekit's model+lora.
    const wanted = (n.data.label?.trim() || n.id).replace(/\+/g, '-');
    let name = wanted;
    for (let k = 2; taken.has(name); k++) name = `${wanted}-${k}`;
    taken.add(name);
    names.set(n.id, name);
  }
  return names;
}
