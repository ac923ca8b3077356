import { describe, expect, it } from 'vitest';
import type { CheckpointSummary } from '../../../common/contract/checkpoint.js';
import { validateGraph, type HeaderState } from '../../../common/graph/validate-graph.js';
import { edge, graph, merge, model, output } from './build.js';

function summary(path: string, layers: number, upShape: number[], vocab = 256): CheckpointSummary {
  const tensors: CheckpointSummary['tensors'] = [{ name: 'model.embed_tokens.weight', shape: [vocab, 8], dtype: 'F32', layer: null, group: 'embedding' }];
  for (let i = 0; i < layers; i++) tensors.push({ name: `model.layers.${i}.mlp.up_proj.weight`, shape: upShape, dtype: 'F32', layer: i, group: 'mlp' });
  return { path, folder: path, architecture: 'LlamaForCausalLM', layerCount: layers, parameterCount: 1, dtype: 'F32', fileCount: 1, totalBytes: 1, tensors };
}

function headers(map: Record<string, CheckpointSummary | string>): (p: string) => HeaderState | undefined {
  return (p) => {
    const v = map[p];
    if (v === undefined) return undefined;
    return typeof v === 'string' ? { state: 'error', message: v } : { state: 'ok', summary: v };
  };
}

function tiesGraph(mp: Record<string, Record<string, unknown>> = { x: { weight: 1, density: 0.5 }, y: { weight: 1, density: 0.5 } }) {
  const g = graph();
  model(g, 'b');
  model(g, 'x');
  model(g, 'y');
  merge(g, 't', 'ties', {}, mp);
  output(g, 'o');
  edge(g, 'b', 't', 'base');
  edge(g, 'x', 't', 'models');
  edge(g, 'y', 't', 'models');
  edge(g, 't', 'o', 'weights');
  return g;
}

describe('validation before running, on the node concerned', () => {
  it('a complete graph is valid everywhere', () => {
    const v = validateGraph(tiesGraph(), () => undefined);
    expect(Object.values(v).every((r) => r.ok)).toBe(true);
  });

  it('missing base is reported on the merge node', () => {
    const g = tiesGraph();
    g.edges = g.edges.filter((e) => e.targetHandle !== 'base');
    expect(validateGraph(g, () => undefined).t).toEqual({ ok: false, reason: 'TIES needs a base model: connect a Model to Base.' });
  });

  it('density out of range, in a scalar or in a gradient anchor', () => {
    expect(validateGraph(tiesGraph({ x: { weight: 1, density: 0 }, y: { weight: 1 } }), () => undefined).t).toEqual({
      ok: false,
      reason: 'Density of Model x 0 is out of range (0, 1].',
    });
    expect(validateGraph(tiesGraph({ x: { weight: 1, density: [0.5, 1.2] }, y: { weight: 1 } }), () => undefined).t).toEqual({
      ok: false,
      reason: 'Density of Model x 1.2 is out of range (0, 1].',
    });
  });

  it('a required weight left empty names the model', () => {
    expect(validateGraph(tiesGraph({ x: { weight: 1 }, y: {} }), () => undefined).t).toEqual({ ok: false, reason: 'Weight of Model y is required.' });
  });

  it('weights summing to zero with normalize (linear), but not without it', () => {
    const g = graph();
    model(g, 'x');
    model(g, 'y');
    merge(g, 'l', 'linear', {}, { x: { weight: 1 }, y: { weight: -1 } });
    output(g, 'o');
    edge(g, 'x', 'l', 'models');
    edge(g, 'y', 'l', 'models');
    edge(g, 'l', 'o', 'weights');
    const v = validateGraph(g, () => undefined).l;
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toMatch(/weights sum to zero/);
    g.nodes[2] = { id: 'l', data: { kind: 'merge', method: 'linear', params: { normalize: false }, modelParams: { x: { weight: 1 }, y: { weight: -1 } } } };
    expect(validateGraph(g, () => undefined).l).toEqual({ ok: true });
  });

  it('weights that cross zero at one layer of a gradient, found on the real layer map', () => {
    const g = graph();
    model(g, 'x');
    model(g, 'y');
    // Layer positions 0, 1/2, 1 for three layers: x = 1, 0, −1 and y = 0 at the middle layer → sum 0 there.
    merge(g, 'l', 'linear', {}, { x: { weight: [1, -1] }, y: { weight: 0 } });
    output(g, 'o');
    edge(g, 'x', 'l', 'models');
    edge(g, 'y', 'l', 'models');
    edge(g, 'l', 'o', 'weights');
    const v = validateGraph(g, headers({ '/m/x': summary('/m/x', 3, [4, 8]), '/m/y': summary('/m/y', 3, [4, 8]) })).l;
    expect(v).toEqual({ ok: false, reason: 'The weights sum to zero for model.layers.1.mlp.up_proj.weight while normalize is on: nothing to divide by. Change a weight or turn normalize off.' });
  });

  it('incompatible layer counts and shapes, from the headers; vocabulary rows may differ', () => {
    const layers = validateGraph(tiesGraph(), headers({ '/m/b': summary('/m/b', 2, [4, 8]), '/m/x': summary('/m/x', 3, [4, 8]) })).t;
    expect(layers).toEqual({ ok: false, reason: 'Layer counts differ: Model b has 2 layers, Model x has 3.' });
    const shapes = validateGraph(tiesGraph(), headers({ '/m/b': summary('/m/b', 2, [4, 8]), '/m/y': summary('/m/y', 2, [5, 8]) })).t;
    expect(shapes).toEqual({ ok: false, reason: 'Shapes differ for model.layers.0.mlp.up_proj.weight: Model b [4, 8], Model y [5, 8].' });
    const vocab = validateGraph(tiesGraph(), headers({ '/m/b': summary('/m/b', 2, [4, 8], 256), '/m/y': summary('/m/y', 2, [4, 8], 300) })).t;
    expect(vocab).toEqual({ ok: true });
  });

  it('inputs of different architectures, on the merge node before anything runs', () => {
    const qwen: CheckpointSummary = { ...summary('/m/y', 2, [4, 8]), architecture: 'Qwen2ForCausalLM' };
    const v = validateGraph(tiesGraph(), headers({ '/m/b': summary('/m/b', 2, [4, 8]), '/m/y': qwen })).t;
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toMatch(/^Architectures differ: Model b is LlamaForCausalLM, Model y is Qwen2ForCausalLM\./);
    // Without config.json (no architecture), tensors that share no name say the same.
    const gpt2: CheckpointSummary = {
      ...summary('/m/x', 2, [4, 8]),
      architecture: null,
      tensors: [0, 1].map((i) => ({ name: `transformer.h.${i}.mlp.c_fc.weight`, shape: [4, 8], dtype: 'F32', layer: i, group: 'mlp' })),
    };
    const w = validateGraph(tiesGraph(), headers({ '/m/b': { ...summary('/m/b', 2, [4, 8]), architecture: null }, '/m/x': gpt2 })).t;
    expect(w.ok).toBe(false);
    if (!w.ok) expect(w.reason).toMatch(/^Model b and Model x have 0 of their tensors in common/);
  });

  it('a header that could not be read is shown on its Model node', () => {
    const v = validateGraph(tiesGraph(), headers({ '/m/x': '/m/x: no .safetensors file in this folder' }));
    expect(v.x).toEqual({ ok: false, reason: '/m/x: no .safetensors file in this folder' });
  });

  it('a Model without a path and an Output without a folder say so', () => {
    const g = graph();
    model(g, 'a', '');
    output(g, 'o', '');
    const v = validateGraph(g, () => undefined);
    expect(v.a).toEqual({ ok: false, reason: 'Choose a model folder or file.' });
    expect(v.o).toEqual({ ok: false, reason: 'Connect a merge node to this Output.' });
  });
});
