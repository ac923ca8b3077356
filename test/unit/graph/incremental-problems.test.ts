import { describe, expect, it } from 'vitest';
import type { CheckpointSummary } from '../../../common/contract/checkpoint.js';
import type { NodeData } from '../../../common/graph/project-schema.js';
import { validateConnection } from '../../../common/graph/validate-connection.js';
import type { HeaderState } from '../../../common/graph/validate-graph.js';
import { problemsOf, revalidate, touchedNodes, type Problems } from '../../../renderer/src/state/incremental-problems.js';
import { edge, graph, merge, model, node, output, type G } from './build.js';

function summary(path: string, layers: number): CheckpointSummary {
  const tensors: CheckpointSummary['tensors'] = [{ name: 'model.embed_tokens.weight', shape: [16, 8], dtype: 'F32', layer: null, group: 'embedding' }];
  for (let i = 0; i < layers; i++) tensors.push({ name: `model.layers.${i}.mlp.up_proj.weight`, shape: [8, 8], dtype: 'F32', layer: i, group: 'mlp' });
  return { path, folder: path, architecture: 'LlamaForCausalLM', layerCount: layers, parameterCount: 1, dtype: 'F32', fileCount: 1, totalBytes: 1, tensors };
}

/** Headers: most paths read, one unreadable, one with another layer count (an incompatibility). */
const HEADERS: Record<string, HeaderState> = {};
for (let i = 0; i < 12; i++) HEADERS[`/m/${i}`] = { state: 'ok', summary: summary(`/m/${i}`, 4) };
HEADERS['/m/bad'] = { state: 'error', message: 'not a checkpoint' };
HEADERS['/m/deep'] = { state: 'ok', summary: summary('/m/deep', 6) };
const lookup = (p: string) => HEADERS[p];
const PATHS = [...Object.keys(HEADERS), '', '/m/unread'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const METHODS = ['linear', 'ties', 'task_arithmetic', 'slerp', 'dare_ties'] as const;

function randomData(r: () => number, kind: NodeData['kind']): NodeData {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  switch (kind) {
    case 'model':
      return { kind, path: pick(PATHS) };
    case 'merge': {
      const weights = [1, 0.5, -1, 0, 2];
      return { kind, method: pick(METHODS), params: r() < 0.3 ? { t: pick([0.5, 2]) } : {}, modelParams: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`n${i}`, { weight: pick(weights), density: pick([0.5, 1.5]) }])) } as NodeData;
    }
    case 'output':
      return { kind, folder: pick(['/out', '']), dtype: 'auto', shardSize: 1e9, seed: 0, overwrite: false };
    case 'scale':
      return { kind, alpha: pick([1, -0.5]) };
    default:
      return { kind } as NodeData;
  }
}

const KINDS: NodeData['kind'][] = ['model', 'model', 'model', 'merge', 'merge', 'output', 'taskVector', 'scale', 'add'];
const HANDLES: Record<string, string[]> = { merge: ['base', 'models'], output: ['weights'], taskVector: ['model', 'base'], scale: ['taskVector'], add: ['taskVectors'], model: [] };

function randomEdge(g: G, r: () => number): void {
  const src = g.nodes[Math.floor(r() * g.nodes.length)];
  const dst = g.nodes[Math.floor(r() * g.nodes.length)];
  const handles = HANDLES[dst.data.kind];
  if (!handles.length) return;
  const targetHandle = handles[Math.floor(r() * handles.length)];
  const sourceHandle = src.data.kind === 'model' || src.data.kind === 'merge' ? 'weights' : 'taskVector';
  // Only what the editor accepts (typed ports, no cycles).
  if (!validateConnection(g, { source: src.id, sourceHandle, target: dst.id, targetHandle }).ok) return;
  edge(g, src.id, dst.id, targetHandle);
  g.edges[g.edges.length - 1].id += `-${g.edges.length}-${Math.floor(r() * 1e6)}`;
}

function randomGraph(r: () => number): G {
  const g = graph();
  const n = 4 + Math.floor(r() * 10);
  for (let i = 0; i < n; i++) {
    const kind = KINDS[Math.floor(r() * KINDS.length)];
    node(g, `n${i}`, randomData(r, kind));
  }
  const e = Math.floor(r() * n * 1.5);
  for (let i = 0; i < e; i++) randomEdge(g, r);
  return g;
}

/** One edit as the editor makes them: new arrays, untouched nodes and edges kept as they were. */
function randomEdit(g: G, r: () => number, nextId: () => string): G {
  const next: G = { nodes: [...g.nodes], edges: [...g.edges] };
  const what = Math.floor(r() * 7);
  const i = Math.floor(r() * next.nodes.length);
  if (what === 0 && next.nodes.length) {
    next.nodes[i] = { ...next.nodes[i], data: randomData(r, next.nodes[i].data.kind) };
  } else if (what === 1 && next.nodes.length > 1) {
    const gone = next.nodes[i].id;
    next.nodes.splice(i, 1);
    // As Delete does, mostly; sometimes an edge is left pointing at the missing node.
    if (r() < 0.8) next.edges = next.edges.filter((e) => e.source !== gone && e.target !== gone);
  } else if (what === 2) {
    const kind = KINDS[Math.floor(r() * KINDS.length)];
    next.nodes.push({ id: nextId(), data: randomData(r, kind) });
  } else if (what === 3 || what === 4) {
    randomEdge(next, r);
  } else if (what === 5 && next.edges.length) {
    next.edges.splice(Math.floor(r() * next.edges.length), 1);
  } else if (what === 6 && next.edges.length > 1) {
    // Reordered inputs (undo to an older snapshot can do this).
    const k = Math.floor(r() * next.edges.length);
    const [e] = next.edges.splice(k, 1);
    next.edges.unshift(e);
  } else if (next.nodes.length) {
    // Position-only change: a new node object with the same data.
    next.nodes[i] = { ...next.nodes[i] };
  }
  return next;
}

function onNodes(p: Problems, g: G): Problems {
  return Object.fromEntries(g.nodes.map((n) => [n.id, p[n.id] ?? null]));
}

describe('problems kept current by validating again only what an edit touched', () => {
  it('equal the whole-graph validation after every edit of 300 random edit sequences', () => {
    let invalidSeen = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      let g = randomGraph(r);
      let problems = problemsOf(g, lookup);
      let counter = 100;
      for (let step = 0; step < 25; step++) {
        const next = randomEdit(g, r, () => `n${counter++}`);
        problems = revalidate(problems, next, touchedNodes(g, next), lookup);
        const full = problemsOf(next, lookup);
        expect(onNodes(problems, next), `seed ${seed} step ${step}`).toEqual(onNodes(full, next));
        invalidSeen += Object.values(full).filter((p) => p !== null).length;
        g = next;
      }
    }
    expect(invalidSeen).toBeGreaterThan(1000);
  });

  it('an edit of one merge validates its own part only, and nothing is re-validated for a move', () => {
    const g = graph();
    for (const k of ['a', 'b']) {
      model(g, `${k}0`, '/m/0');
      model(g, `${k}1`, '/m/1');
      merge(g, `${k}m`, 'linear', {}, { [`${k}0`]: { weight: 1 }, [`${k}1`]: { weight: 1 } });
      output(g, `${k}o`);
      edge(g, `${k}0`, `${k}m`, 'models');
      edge(g, `${k}1`, `${k}m`, 'models');
      edge(g, `${k}m`, `${k}o`, 'weights');
    }
    const before = problemsOf(g, lookup);
    const moved: G = { nodes: g.nodes.map((n) => ({ ...n })), edges: g.edges };
    expect(touchedNodes(g, moved).size).toBe(0);
    expect(revalidate(before, moved, touchedNodes(g, moved), lookup)).toBe(before);

    const i = g.nodes.findIndex((n) => n.id === 'am');
    const edited: G = { nodes: [...g.nodes], edges: g.edges };
    edited.nodes[i] = { ...g.nodes[i], data: { kind: 'merge', method: 'linear', params: {}, modelParams: { a0: { weight: 1 }, a1: { weight: -1 } } } };
    const after = revalidate(before, edited, touchedNodes(g, edited), lookup);
    expect(after.am).toMatch(/sum/i);
    expect(after.bm).toBeNull();
  });

  it('a header that arrives re-validates the models reading it', () => {
    const g = graph();
    model(g, 'x', '/m/later');
    model(g, 'y', '/m/0');
    merge(g, 'm', 'linear', {}, { x: { weight: 1 }, y: { weight: 1 } });
    edge(g, 'x', 'm', 'models');
    edge(g, 'y', 'm', 'models');
    const before = problemsOf(g, lookup);
    expect(before.x).toBeNull();
    const headers = (p: string): HeaderState | undefined => (p === '/m/later' ? { state: 'error', message: 'no such folder' } : lookup(p));
    const after = revalidate(before, g, ['x'], headers);
    expect(after).toEqual(problemsOf(g, headers));
    expect(after.x).toBe('no such folder');
  });
});
