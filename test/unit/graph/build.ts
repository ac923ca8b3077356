/** Small graph builders for the graph tests. */
import type { NodeData } from '../../../common/graph/project-schema.js';
import type { GraphLike } from '../../../common/graph/graph-like.js';

export interface G extends GraphLike {
  nodes: { id: string; data: NodeData }[];
  edges: { id: string; source: string; sourceHandle: string; target: string; targetHandle: string }[];
}

export function graph(): G {
  return { nodes: [], edges: [] };
}
export function model(g: G, id: string, path = `/m/${id}`): string {
  g.nodes.push({ id, data: { kind: 'model', path } });
  return id;
}
export function merge(g: G, id: string, method: Extract<NodeData, { kind: 'merge' }>['method'], params: Record<string, unknown> = {}, modelParams: Record<string, Record<string, unknown>> = {}): string {
  g.nodes.push({ id, data: { kind: 'merge', method, params: params as never, modelParams: modelParams as never } });
  return id;
}
export function output(g: G, id: string, folder = '/out'): string {
  g.nodes.push({ id, data: { kind: 'output', folder, dtype: 'auto', shardSize: 1e9, seed: 0, overwrite: false } });
  return id;
}
export function node(g: G, id: string, data: NodeData): string {
  g.nodes.push({ id, data });
  return id;
}
export function edge(g: G, source: string, target: string, targetHandle: string, sourceHandle?: string): void {
  const src = g.nodes.find((n) => n.id === source)!;
  const sh = sourceHandle ?? (src.data.kind === 'model' || src.data.kind === 'merge' ? 'weights' : 'taskVector');
  g.edges.push({ id: `${source}-${target}-${targetHandle}`, source, sourceHandle: sh, target, targetHandle });
}
