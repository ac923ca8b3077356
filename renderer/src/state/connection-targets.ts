/**
 * Where a node's output may be connected: every input of every other node that the graph's own rule
 * for a new edge (validateConnection, the one a mouse drag is checked with) accepts now. The keyboard
 * "Connect output to…" offers these and nothing else.
 */
import type { GraphLike } from '../../../common/graph/graph-like.js';
import { nodeById } from '../../../common/graph/graph-like.js';
import { nodeLabel } from '../../../common/graph/node-label.js';
import { portsOf } from '../../../common/graph/ports.js';
import { validateConnection } from '../../../common/graph/validate-connection.js';

/** A new edge, as React Flow's Connection has it. */
export interface NewEdge {
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

export interface ConnectionTarget {
  edge: NewEdge;
  /** "TIES · Models": the node as messages name it, and the input's label. */
  label: string;
}

/** The inputs `sourceId`'s output may feed, in the graph's node order and each node's input order. */
export function connectionTargets(g: GraphLike, sourceId: string): ConnectionTarget[] {
  const source = nodeById(g, sourceId);
  const output = source && portsOf(source.data).output;
  if (!output) return [];
  const found: ConnectionTarget[] = [];
  for (const target of g.nodes) {
    if (target.id === sourceId) continue;
    for (const input of portsOf(target.data).inputs) {
      const edge: NewEdge = { source: sourceId, sourceHandle: output.id, target: target.id, targetHandle: input.id };
      if (validateConnection(g, edge).ok) found.push({ edge, label: `${nodeLabel(target.data)} · ${input.label}` });
    }
  }
  return withDistinctLabels(found);
}

/** Two nodes named alike (two "Task vector" nodes): their entries say which node by its id. */
function withDistinctLabels(targets: ConnectionTarget[]): ConnectionTarget[] {
  const count = new Map<string, number>();
  for (const t of targets) count.set(t.label, (count.get(t.label) ?? 0) + 1);
  return targets.map((t) => ((count.get(t.label) ?? 0) > 1 ? { ...t, label: `${t.label} (${t.edge.target})` } : t));
}
