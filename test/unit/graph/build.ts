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

/**
 * Task arithmetic `ta` (into Output `o`): tvA = A − base straight in, tvB = B − base through Scale
 * `scale` (id `scale`), with these parameters for all models and per input; `withC` adds Model C as a
 * third input and `withBase` wires base into the merge.
 */
export function taskVectorMerge(opts: { alpha: number; params: Record<string, unknown>; modelParams?: Record<string, Record<string, unknown>>; withC?: boolean; withBase?: boolean }): G {
  const g = graph();
  for (const id of ['base', 'A', 'B', ...(opts.withC ? ['C'] : [])]) model(g, id);
  node(g, 'tvA', { kind: 'taskVector' });
  node(g, 'tvB', { kind: 'taskVector' });
  node(g, 'scale', { kind: 'scale', alpha: opts.alpha });
  merge(g, 'ta', 'task_arithmetic', opts.params, opts.modelParams ?? {});
  output(g, 'o');
  edge(g, 'A', 'tvA', 'model');
  edge(g, 'base', 'tvA', 'base');
  edge(g, 'B', 'tvB', 'model');
  edge(g, 'base', 'tvB', 'base');
  edge(g, 'tvB', 'scale', 'taskVector');
  if (opts.withBase) edge(g, 'base', 'ta', 'base');
  edge(g, 'tvA', 'ta', 'models');
  edge(g, 'scale', 'ta', 'models');
  if (opts.withC) edge(g, 'C', 'ta', 'models');
  edge(g, 'ta', 'o', 'weights');
  return g;
}
