/**
 * Per-node problems kept current without validating the whole graph on every edit: a node's validity
 * depends only on the nodes connected to it (validateGraph follows edges, nothing else), so after a
 * change only the connected parts the change touched are validated again.
 */
import type { GraphLike } from '../../../common/graph/graph-like.js';
import { validateGraph, type HeaderLookup } from '../../../common/graph/validate-graph.js';

/** Reason per node, null when valid. */
export type Problems = Record<string, string | null>;

export function problemsOf(g: GraphLike, headers: HeaderLookup): Problems {
  const out: Problems = {};
  for (const [id, r] of Object.entries(validateGraph(g, headers))) out[id] = r.ok ? null : r.reason;
  return out;
}

function inputsByTarget(g: GraphLike): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of g.edges) {
    const key = `${e.source}\u0000${e.sourceHandle ?? ''}\u0000${e.targetHandle ?? ''}`;
    const prev = m.get(e.target);
    m.set(e.target, prev === undefined ? key : `${prev}\u0001${key}`);
  }
  return m;
}

/**
 * Nodes whose validity may differ from `prev` to `next`: added nodes and nodes whose data changed,
 * the ends of edges that appeared, disappeared or were reordered (per target, in order), and nodes
 * still pointing at a removed node. Positions and selection do not matter.
 */
export function touchedNodes(prev: GraphLike, next: GraphLike): Set<string> {
  const touched = new Set<string>();
  const prevData = new Map(prev.nodes.map((n) => [n.id, n.data]));
  const nextIds = new Set<string>();
  for (const n of next.nodes) {
    nextIds.add(n.id);
    if (prevData.get(n.id) !== n.data) touched.add(n.id);
  }
  if (prev.edges !== next.edges) {
    const before = inputsByTarget(prev);
    const after = inputsByTarget(next);
    const differ = new Set<string>();
    for (const [t, k] of after) if (before.get(t) !== k) differ.add(t);
    for (const t of before.keys()) if (!after.has(t)) differ.add(t);
    for (const e of [...prev.edges, ...next.edges]) {
      if (differ.has(e.target)) {
        touched.add(e.target);
        touched.add(e.source);
      }
    }
  }
  const removed = new Set(prev.nodes.filter((n) => !nextIds.has(n.id)).map((n) => n.id));
  if (removed.size) {
    for (const e of next.edges) {
      if (removed.has(e.source) || removed.has(e.target)) {
        touched.add(e.source);
        touched.add(e.target);
      }
    }
  }
  return touched;
}

/** The nodes connected, in either direction, to any of `seeds`. */
export function connectedTo(g: GraphLike, seeds: Iterable<string>): Set<string> {
  const adjacent = new Map<string, string[]>();
  const link = (a: string, b: string): void => {
    const l = adjacent.get(a);
    if (l) l.push(b);
    else adjacent.set(a, [b]);
  };
  for (const e of g.edges) {
    link(e.source, e.target);
    link(e.target, e.source);
  }
  const seen = new Set<string>();
  const stack = [...seeds];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const n of adjacent.get(id) ?? []) if (!seen.has(n)) stack.push(n);
  }
  return seen;
}

/**
 * Problems of `next`'s nodes, validating again only the parts of the graph connected to `seeds`; every other
 * node keeps its entry from `previous`. Equal to problemsOf(next) when `seeds` holds every node whose
 * validity may have changed (touchedNodes, or the models reading a header that changed).
 */
export function revalidate(previous: Problems, next: GraphLike, seeds: Iterable<string>, headers: HeaderLookup): Problems {
  const part = connectedTo(next, seeds);
  // Nothing to validate again and no node gone: the same object, so nothing re-renders.
  if (part.size === 0 && Object.keys(previous).length === next.nodes.length && next.nodes.every((n) => n.id in previous)) return previous;
  const fresh = part.size
    ? problemsOf({ nodes: next.nodes.filter((n) => part.has(n.id)), edges: next.edges.filter((e) => part.has(e.source) || part.has(e.target)) }, headers)
    : {};
  const out: Problems = {};
  for (const n of next.nodes) out[n.id] = part.has(n.id) ? (fresh[n.id] ?? null) : (previous[n.id] ?? null);
  return out;
}
