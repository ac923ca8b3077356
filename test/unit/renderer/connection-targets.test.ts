/** "Connect output to…" offers exactly the inputs a drag may reach, named as the user sees them. */
import { describe, expect, it } from 'vitest';
import { connectionTargets } from '../../../renderer/src/state/connection-targets.js';
import type { GraphLike } from '../../../common/graph/graph-like.js';

/** The demo's graph (base, math, code → TIES → Output) with a free Task vector and Scale beside it. */
function demoPlus(): GraphLike {
  return {
    nodes: [
      { id: 'base', data: { kind: 'model', path: '/m/base' } },
      { id: 'math', data: { kind: 'model', path: '/m/math' } },
      { id: 'code', data: { kind: 'model', path: '/m/code' } },
      { id: 'ties', data: { kind: 'merge', method: 'ties', params: {}, modelParams: {} } },
      { id: 'out', data: { kind: 'output', folder: '/o', dtype: 'auto', shardSize: 5e9, seed: 0, overwrite: false } },
      { id: 'tv', data: { kind: 'taskVector' } },
      { id: 'scale', data: { kind: 'scale', alpha: 1 } },
    ],
    edges: [
      { id: 'e-base', source: 'base', sourceHandle: 'weights', target: 'ties', targetHandle: 'base' },
      { id: 'e-math', source: 'math', sourceHandle: 'weights', target: 'ties', targetHandle: 'models' },
      { id: 'e-code', source: 'code', sourceHandle: 'weights', target: 'ties', targetHandle: 'models' },
      { id: 'e-out', source: 'ties', sourceHandle: 'weights', target: 'out', targetHandle: 'weights' },
    ],
  };
}

const labels = (g: GraphLike, source: string): string[] => connectionTargets(g, source).map((t) => t.label);

describe('connectionTargets', () => {
  it('offers a model the inputs that take weights and are free, never an occupied, mistyped or own input', () => {
    // Not TIES · Models (math is on it already), TIES · Base and Output · Weights (taken), Scale (task vectors only).
    expect(labels(demoPlus(), 'math')).toEqual(['Task vector · Model', 'Task vector · Base']);
  });

  it('gives each offer the edge a drag onto that handle would make', () => {
    expect(connectionTargets(demoPlus(), 'math')[1].edge).toEqual({ source: 'math', sourceHandle: 'weights', target: 'tv', targetHandle: 'base' });
  });

  it('offers a task vector only inputs taking task vectors (TIES takes them too), and no input that would make a cycle', () => {
    const g = demoPlus();
    const withTv = { ...g, edges: [...g.edges, { id: 'e1', source: 'math', sourceHandle: 'weights', target: 'tv', targetHandle: 'model' }] };
    expect(labels(withTv, 'tv')).toEqual(['TIES · Models', 'Scale · Task vector']);
    // Scale fed by the task vector: the task vector's own input is not offered to Scale's output (a cycle), nor Scale itself.
    const chained = { ...withTv, edges: [...withTv.edges, { id: 'e2', source: 'tv', sourceHandle: 'taskVector', target: 'scale', targetHandle: 'taskVector' }] };
    expect(labels(chained, 'scale')).toEqual(['TIES · Models']);
  });

  it('offers nothing for a node without an output, or one unknown', () => {
    expect(connectionTargets(demoPlus(), 'out')).toEqual([]);
    expect(connectionTargets(demoPlus(), 'nope')).toEqual([]);
  });

  it('names which node when two offers read alike', () => {
    const g = demoPlus();
    const two = { ...g, nodes: [...g.nodes, { id: 'tv2', data: { kind: 'taskVector' as const } }] };
    expect(labels(two, 'code')).toEqual(['Task vector · Model (tv)', 'Task vector · Base (tv)', 'Task vector · Model (tv2)', 'Task vector · Base (tv2)']);
  });
});
