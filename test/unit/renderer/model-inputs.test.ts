import { describe, expect, it } from 'vitest';
import { modelInputsOf } from '../../../renderer/src/state/model-inputs.js';
import { edge, graph, merge, model } from '../graph/build.js';

describe("merge nodes' model inputs, built once per graph", () => {
  it('lists each merge’s models inputs in edge order with their labels, and follows a new graph', () => {
    const g = graph();
    model(g, 'a', '/m/alpha');
    model(g, 'b', '/m/beta');
    merge(g, 'm', 'linear');
    merge(g, 'n', 'ties');
    edge(g, 'b', 'm', 'models');
    edge(g, 'a', 'm', 'models');
    edge(g, 'a', 'n', 'base');
    expect(modelInputsOf(g, 'm')).toEqual(['b\u0000Model beta', 'a\u0000Model alpha']);
    expect(modelInputsOf(g, 'n')).toEqual([]);
    const same = modelInputsOf({ ...g }, 'm');
    expect(same).toBe(modelInputsOf(g, 'm'));
    const next = { nodes: g.nodes, edges: g.edges.filter((e) => e.source !== 'b') };
    expect(modelInputsOf(next, 'm')).toEqual(['a\u0000Model alpha']);
  });
});
