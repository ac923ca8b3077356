/** The minimal view of a graph the checks need: the project file and the editor's state both fit it. */
import type { NodeData } from './project-schema.js';

export interface GraphNodeLike {
  id: string;
  data: NodeData;
}
export interface GraphEdgeLike {
  id?: string;
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
}
export interface GraphLike {
  nodes: readonly GraphNodeLike[];
  edges: readonly GraphEdgeLike[];
}

export function nodeById(g: GraphLike, id: string): GraphNodeLike | undefined {
  return g.nodes.find((n) => n.id === id);
}

/** Edges into a node's handle, in edge order (the order models are given to the method). */
export function edgesInto(g: GraphLike, target: string, handle: string): GraphEdgeLike[] {
  return g.edges.filter((e) => e.target === target && e.targetHandle === handle);
}
