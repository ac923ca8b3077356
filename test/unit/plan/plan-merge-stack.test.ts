/** The layer stack: frankenmerges renumber layers; gradients and filters by slice and by name. */
import { describe, expect, it } from 'vitest';
import { planMerge } from '../../../electron/engine/plan/plan-merge.js';
import { checkpoint, inputs, LAYER_SUFFIXES, llama } from './checkpoints.js';
import { problemsOf, tensor } from './plan-helpers.js';

describe('passthrough frankenmerge: layers [0,3) of A + [1,4) of B', () => {
  const A = llama('/m/A', { layers: 4 });
  const B = llama('/m/B', { layers: 4 });
  const recipe = {
    mergeMethod: 'passthrough' as const,
    slices: [{ sources: [{ model: 'A', layerRange: [0, 3] as [number, number] }] }, { sources: [{ model: 'B', layerRange: [1, 4] as [number, number] }] }],
  };
  const plan = planMerge(recipe, inputs({ A, B }));

  it('six layers, renumbered by position in the stack', () => {
    expect(plan.layerCount).toBe(6);
    const layerOf = (i: number) => tensor(plan, `model.layers.${i}.mlp.up_proj.weight`);
    expect([0, 1, 2, 3, 4, 5].map((i) => layerOf(i).copyFrom)).toEqual([
      { model: 'A', tensor: 'model.layers.0.mlp.up_proj.weight' },
      { model: 'A', tensor: 'model.layers.1.mlp.up_proj.weight' },
      { model: 'A', tensor: 'model.layers.2.mlp.up_proj.weight' },
      { model: 'B', tensor: 'model.layers.1.mlp.up_proj.weight' },
      { model: 'B', tensor: 'model.layers.2.mlp.up_proj.weight' },
      { model: 'B', tensor: 'model.layers.3.mlp.up_proj.weight' },
    ]);
    expect(layerOf(4).layer).toBe(4);
  });

  it('embedding from the first slice, final norm and head from the last', () => {
    expect(tensor(plan, 'model.embed_tokens.weight').copyFrom?.model).toBe('A');
    expect(tensor(plan, 'model.norm.weight').copyFrom?.model).toBe('B');
    expect(tensor(plan, 'lm_head.weight').copyFrom?.model).toBe('B');
  });

  it('the output holds exactly the embedding, 6 × 9 layer tensors, the norm and the head, in stack order', () => {
    const names = plan.tensors.map((t) => t.name);
    expect(names).toHaveLength(3 + 6 * LAYER_SUFFIXES.length);
    expect(names[0]).toBe('model.embed_tokens.weight');
    expect(names.slice(1, 10)).toEqual(LAYER_SUFFIXES.map((s) => `model.layers.0.${s}`));
    expect(names.slice(-2)).toEqual(['lm_head.weight', 'model.norm.weight']);
    expect(plan.donor).toBe('A');
  });

  it('a layer range beyond the model is an error', () => {
    const bad = { ...recipe, slices: [recipe.slices[0], { sources: [{ model: 'B', layerRange: [2, 6] as [number, number] }] }] };
    expect(problemsOf(bad, inputs({ A, B }))[0].message).toMatch(/\[2, 6\] of 'B' goes beyond its 4 layers/);
  });

  it('passthrough with scale ≠ 1 is computed, not copied; and one model without slices is a copy', () => {
    const scaled = planMerge({ mergeMethod: 'passthrough', models: [{ model: 'A', parameters: { scale: 0.5 } }] }, inputs({ A }));
    expect(scaled.tensors[0].copyFrom).toBeUndefined();
    expect(scaled.tensors[0].modelParams).toEqual([{ scale: 0.5 }]);
    const copy = planMerge({ mergeMethod: 'passthrough', models: [{ model: 'A' }] }, inputs({ A }));
    expect(copy.tensors.every((t) => t.copyFrom?.model === 'A' && t.copyFrom.tensor === t.name)).toBe(true);
    expect(copy.layerCount).toBe(4);
  });

  it('passthrough into another dtype goes through the kernel', () => {
    const p = planMerge({ mergeMethod: 'passthrough', models: [{ model: 'A' }], outDtype: 'float32' }, inputs({ A }));
    expect(p.tensors.every((t) => t.copyFrom === undefined && t.outDtype === 'F32')).toBe(true);
  });

  it('two sources in one passthrough slice is an error', () => {
    const two = { mergeMethod: 'passthrough' as const, slices: [{ sources: [{ model: 'A', layerRange: [0, 2] as [number, number] }, { model: 'B', layerRange: [0, 2] as [number, number] }] }] };
    expect(problemsOf(two, inputs({ A, B }))[0].message).toMatch(/one model per tensor/);
  });
});

describe("Mixtral expert names keep their expert index", () => {
  it('only the layer number is rewritten', () => {
    const moe = (path: string) =>
      checkpoint(path, {
        'model.layers.0.block_sparse_moe.experts.7.w1.weight': ['BF16', [4, 4]],
        'model.layers.1.block_sparse_moe.experts.7.w1.weight': ['BF16', [4, 4]],
      }, undefined, 2);
    const p = planMerge(
      { mergeMethod: 'passthrough', slices: [{ sources: [{ model: 'M', layerRange: [1, 2] }] }, { sources: [{ model: 'M', layerRange: [1, 2] }] }] },
      inputs({ M: moe('/m/M') }),
    );
    expect(p.tensors.map((t) => [t.name, t.copyFrom?.tensor])).toEqual([
      ['model.layers.0.block_sparse_moe.experts.7.w1.weight', 'model.layers.1.block_sparse_moe.experts.7.w1.weight'],
      ['model.layers.1.block_sparse_moe.experts.7.w1.weight', 'model.layers.1.block_sparse_moe.experts.7.w1.weight'],
    ]);
  });
});

describe('gradients by slice (spec §1)', () => {
  const A = llama('/m/A', { layers: 4 });
  const B = llama('/m/B', { layers: 4 });
  const s = (a: number, b: number) => [
    { model: 'A', layerRange: [a, b] as [number, number] },
    { model: 'B', layerRange: [a, b] as [number, number] },
  ];
  const plan = planMerge(
    {
      mergeMethod: 'slerp',
      baseModel: 'A',
      slices: [{ sources: s(0, 3) }, { sources: s(3, 4), parameters: { t: [{ filter: 'mlp', value: 0.25 }] } }],
      parameters: { t: [0, 1] },
    },
    inputs({ A, B }),
  );
  const t = (name: string) => tensor(plan, name).global.t;

  it('each slice restarts at t = 0; a one-layer slice has t = 1', () => {
    expect([0, 1, 2, 3].map((i) => t(`model.layers.${i}.self_attn.q_proj.weight`))).toEqual([0, 0.5, 1, 1]);
  });

  it("a slice's own parameters come before the top level's; an unmatched filter falls through", () => {
    expect(t('model.layers.3.mlp.up_proj.weight')).toBe(0.25);
    expect(t('model.layers.2.mlp.up_proj.weight')).toBe(1);
  });

  it('tensors outside the stack take t = 0 and the first or last slice', () => {
    expect(t('model.embed_tokens.weight')).toBe(0);
    expect(t('model.norm.weight')).toBe(0);
    expect(t('lm_head.weight')).toBe(0);
    expect(tensor(plan, 'model.embed_tokens.weight').base?.model).toBe('A');
    expect(tensor(plan, 'model.embed_tokens.weight').models.map((m) => m.model)).toEqual(['B']);
  });
});

describe('per-model parameters match the input name, global ones the output name', () => {
  // Output layers: 0–1 from A's 0–1, 2–3 from B's 1–2.
  const A = llama('/m/A', { layers: 4 });
  const B = llama('/m/B', { layers: 4 });
  const plan = planMerge(
    {
      mergeMethod: 'linear',
      slices: [
        { sources: [{ model: 'A', layerRange: [0, 2] }] },
        { sources: [{ model: 'B', layerRange: [1, 3], parameters: { weight: [{ filter: 'layers.1.', value: 5 }] } }] },
      ],
      parameters: { weight: [{ filter: 'layers.1.', value: 7 }, { value: 1 }], normalize: [{ filter: 'layers.2.', value: false }, { value: true }] },
    },
    inputs({ A, B }),
  );
  const at = (layer: number) => tensor(plan, `model.layers.${layer}.mlp.up_proj.weight`);

  it("B's own filter 'layers.1.' matches its input layer 1, which is output layer 2", () => {
    expect(at(2).models[0].tensor).toBe('model.layers.1.mlp.up_proj.weight');
    expect(at(2).modelParams).toEqual([{ weight: 5 }]);
  });

  it('a per-model value from the top level is matched against the input name too', () => {
    expect(at(1).modelParams).toEqual([{ weight: 7 }]);
    expect(at(3).modelParams).toEqual([{ weight: 1 }]);
  });

  it('a global parameter matches the output name', () => {
    expect(at(2).global.normalize).toBe(false);
    expect(at(1).global.normalize).toBe(true);
    expect(at(3).global.normalize).toBe(true);
  });
});

describe('the gradient slerp of mergekit examples, computed by the formula', () => {
  it('self_attn and mlp follow their gradients over 5 layers; the rest 0.5', () => {
    const A = llama('/m/A', { layers: 5 });
    const B = llama('/m/B', { layers: 5 });
    const plan = planMerge(
      {
        mergeMethod: 'slerp',
        baseModel: 'A',
        models: [{ model: 'A' }, { model: 'B' }],
        parameters: { t: [{ filter: 'self_attn', value: [0, 0.5, 0.3, 0.7, 1] }, { filter: 'mlp', value: [1, 0.5, 0.7, 0.3, 0] }, { value: 0.5 }] },
      },
      inputs({ A, B }),
    );
    const layers = [0, 1, 2, 3, 4];
    expect(layers.map((i) => tensor(plan, `model.layers.${i}.self_attn.k_proj.weight`).global.t)).toEqual([0, 0.5, 0.3, 0.7, 1]);
    expect(layers.map((i) => tensor(plan, `model.layers.${i}.mlp.down_proj.weight`).global.t)).toEqual([1, 0.5, 0.7, 0.3, 0]);
    expect(layers.map((i) => tensor(plan, `model.layers.${i}.input_layernorm.weight`).global.t)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
  });
});
