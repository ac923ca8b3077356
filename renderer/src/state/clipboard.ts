/** Copy and paste of a selection: the selected nodes and the edges between them, pasted with new ids. */
import type { FlowEdge, FlowNode, GraphSnapshot } from './flow-types.js';
import { newNodeId } from './new-node.js';
import { renameAssemblyInputs } from '../../../common/graph/layer-assembly.js';

export function copySelection(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): GraphSnapshot | null {
  const picked = nodes.filter((n) => n.selected);
  if (!picked.length) return null;
  const ids = new Set(picked.map((n) => n.id));
  return { nodes: picked, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
}

export function pasteClip(clip: GraphSnapshot, offset: number): GraphSnapshot {
  const map = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = newNodeId(n.data.kind);
    map.set(n.id, id);
    return { ...n, id, selected: true, position: { x: n.position.x + offset, y: n.position.y + offset } };
  });
  const remap = (id: string): string => map.get(id) ?? id;
  // Per-model parameters are keyed by source node id: follow the renaming.
  for (const n of nodes) {
    if (n.data.kind === 'merge') {
      const modelParams = Object.fromEntries(Object.entries(n.data.modelParams).filter(([k]) => map.has(k)).map(([k, v]) => [remap(k), v]));
      n.data = { ...n.data, modelParams };
    }
    // A Layer assembly's rows name their inputs by id too.
    if (n.data.kind === 'layerAssembly') n.data = renameAssemblyInputs(n.data, remap);
  }
  const edges = clip.edges.map((e) => ({ ...e, id: `e-${remap(e.source)}-${remap(e.target)}-${e.targetHandle ?? ''}`, source: remap(e.source), target: remap(e.target), selected: false }));
  return { nodes, edges };
}
