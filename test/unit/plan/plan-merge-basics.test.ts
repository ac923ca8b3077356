/** planMerge on in-memory checkpoints: model lists, bases, copies, dtypes, parameters. */
import { describe, expect, it } from 'vitest';
import type { MergeRecipe, ModelSpec } from '../../../common/recipe/types.js';
import { planMerge } from '../../../electron/engine/plan/plan-merge.js';
import { checkpoint, inputs, llama } from './checkpoints.js';
import { problemsOf, tensor } from './plan-helpers.js';

const A = llama('/m/A', { layers: 2 });
const B = llama('/m/B', { layers: 2 });
const C = llama('/m/C', { layers: 2 });
const BASE = llama('/m/base', { layers: 2 });

describe('linear over three models', () => {
  const recipe = {
    mergeMethod: 'linear' as const,
    models: [
      { model: 'A', parameters: { weight: 0.3 } },
      { model: 'B', parameters: { weight: 0.5 } },
      { model: 'C', parameters: { weight: 0.2 } },
    ],
    dtype: 'float16',
  };
  const plan = planMerge(recipe, inputs({ A, B, C }));

  it("one task per tensor, in the donor's order", () => {
    expect(plan.tensors.map((t) => t.name)).toEqual([...A.tensors.keys()]);
    expect(plan.donor).toBe('A');
    expect(plan.layerCount).toBe(2);
    expect(plan.seed).toBe(0);
  });

  it('every task takes the three models in order, with complete parameters', () => {
    const t = tensor(plan, 'model.layers.1.mlp.up_proj.weight');
    expect(t.base).toBeUndefined();
    expect(t.models).toEqual(['A', 'B', 'C'].map((model) => ({ model, tensor: 'model.layers.1.mlp.up_proj.weight' })));
    expect(t.modelParams).toEqual([{ weight: 0.3 }, { weight: 0.5 }, { weight: 0.2 }]);
    expect(t.global).toEqual({ normalize: true, int8_mask: false });
    expect(t.layer).toBe(1);
    expect(tensor(plan, 'model.norm.weight').layer).toBeNull();
  });

  it('dtype sets the output dtype of every float tensor', () => {
    expect(new Set(plan.tensors.map((t) => t.outDtype))).toEqual(new Set(['F16']));
    expect(plan.outDtype).toBe('F16');
    expect(plan.warnings).toEqual([]);
  });
});

describe('output dtype (spec §0)', () => {
  const f32 = llama('/m/f32', { layers: 1, dtype: 'F32' });
  const bf = llama('/m/bf', { layers: 1, dtype: 'BF16' });
  const base = { mergeMethod: 'task_arithmetic' as const, baseModel: 'f32', models: [{ model: 'bf', parameters: { weight: 1 } }] };
  it("out_dtype wins over dtype; with neither, the base's dtype", () => {
    const ck = inputs({ f32, bf });
    expect(planMerge({ ...base, dtype: 'float16', outDtype: 'bfloat16' }, ck).tensors[0].outDtype).toBe('BF16');
    expect(planMerge({ ...base, dtype: 'float16' }, ck).tensors[0].outDtype).toBe('F16');
    expect(planMerge(base, ck).tensors[0].outDtype).toBe('F32');
  });
  it('an unknown dtype is a problem', () => {
    expect(problemsOf({ ...base, dtype: 'float8' }, inputs({ f32, bf }))[0].message).toMatch(/dtype 'float8'/);
  });
});

describe('ties with the base listed among the models', () => {
  const recipe: MergeRecipe & { models: ModelSpec[] } = {
    mergeMethod: 'ties',
    baseModel: 'base',
    models: [{ model: 'base' }, { model: 'A', parameters: { weight: 1, density: 0.5 } }, { model: 'B', parameters: { weight: 0.5 } }],
    parameters: { density: 0.7 },
  };
  const plan = planMerge(recipe, inputs({ base: BASE, A, B }));

  it('the base is dropped from the models silently, and merged onto', () => {
    const t = tensor(plan, 'model.layers.0.self_attn.q_proj.weight');
    expect(t.base).toEqual({ model: 'base', tensor: 'model.layers.0.self_attn.q_proj.weight' });
    expect(t.models.map((m) => m.model)).toEqual(['A', 'B']);
    expect(plan.warnings).toEqual([]);
    expect(plan.donor).toBe('base');
  });

  it("per-model values: the model's own, else the top level; globals from the registry's defaults", () => {
    const t = tensor(plan, 'model.embed_tokens.weight');
    expect(t.modelParams).toEqual([
      { weight: 1, density: 0.5 },
      { weight: 0.5, density: 0.7 },
    ]);
    expect(t.global).toEqual({ normalize: true, lambda: 1, rescale: false, consensus: 'sum', int8_mask: false });
  });

  it('a base given only as base_model is added as the base', () => {
    const p = planMerge({ ...recipe, models: recipe.models.slice(1) }, inputs({ base: BASE, A, B }));
    expect(tensor(p, 'model.norm.weight').base?.model).toBe('base');
    expect(tensor(p, 'model.norm.weight').models.map((m) => m.model)).toEqual(['A', 'B']);
  });

  it('the same checkpoint written two ways counts as the base', () => {
    const p = planMerge(
      { ...recipe, baseModel: '//m/base', models: [{ model: '/m/base' }, ...recipe.models.slice(1)] },
      inputs({ '//m/base': BASE, '/m/base': BASE, A, B }),
    );
    expect(tensor(p, 'model.norm.weight').models.map((m) => m.model)).toEqual(['A', 'B']);
    expect(p.warnings.some((w) => w.includes('same checkpoint'))).toBe(true);
  });
});

describe('base requirements and model counts', () => {
  it('a slerp whose base is not one of its inputs is an error', () => {
    const problems = problemsOf({ mergeMethod: 'slerp', baseModel: 'base', models: [{ model: 'A' }, { model: 'B' }], parameters: { t: 0.5 } }, inputs({ base: BASE, A, B }));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/slerp's base_model 'base' must be one of its two inputs/);
  });

  it('a slerp with three inputs is an error', () => {
    const problems = problemsOf(
      { mergeMethod: 'slerp', baseModel: 'A', models: [{ model: 'A' }, { model: 'B' }, { model: 'C' }], parameters: { t: 0.5 } },
      inputs({ A, B, C }),
    );
    expect(problems[0].message).toMatch(/at most 1 model besides the base, got 2/);
  });

  it('a base-requiring method without a base', () => {
    expect(problemsOf({ mergeMethod: 'ties', models: [{ model: 'A', parameters: { weight: 1 } }] }, inputs({ A }))[0].message).toMatch(/needs a base model/);
  });

  it('model_stock: a listed base is warned about, and one model besides the base is too few', () => {
    const p = planMerge({ mergeMethod: 'model_stock', baseModel: 'base', models: [{ model: 'base' }, { model: 'A' }, { model: 'B' }] }, inputs({ base: BASE, A, B }));
    expect(p.warnings.some((w) => /model_stock.*also listed/.test(w))).toBe(true);
    const problems = problemsOf({ mergeMethod: 'model_stock', baseModel: 'base', models: [{ model: 'A' }] }, inputs({ base: BASE, A }));
    expect(problems[0].message).toMatch(/at least 2 models besides the base, got 1/);
  });

  it('a base_model for a method that merges none is the donor only (config, tokenizer), never merged, with a note', () => {
    const p = planMerge(
      { mergeMethod: 'linear', baseModel: 'base', models: [{ model: 'A', parameters: { weight: 1 } }, { model: 'B', parameters: { weight: 1 } }] },
      inputs({ base: BASE, A, B }),
    );
    expect(p.warnings[0]).toMatch(/linear does not merge a base model: base_model 'base' only gives the output its config.json and tokenizer files/);
    expect(p.donor).toBe('base');
    expect(p.models.map((m) => m.key)).toEqual(['A', 'B', 'base']);
    for (const t of p.tensors) {
      expect(t.base).toBeUndefined();
      expect(t.models.map((m) => m.model)).toEqual(['A', 'B']);
    }
    // No tokenizer_source: the donor's files are copied, so no separate source.
    expect(p.tokenizerSource).toBeUndefined();
  });

  it("tokenizer_source 'base' names that donor-only base; without a base_model it is an error", () => {
    const recipe = { mergeMethod: 'linear' as const, models: [{ model: 'A', parameters: { weight: 1 } }], tokenizerSource: 'base' };
    expect(planMerge({ ...recipe, baseModel: 'base' }, inputs({ base: BASE, A })).tokenizerSource).toBe('base');
    expect(problemsOf(recipe, inputs({ A }))[0].message).toMatch(/tokenizer_source is 'base' but the merge has no base model/);
  });

  it('a donor-only base that was not opened is a problem naming it', () => {
    const problems = problemsOf({ mergeMethod: 'linear', baseModel: 'gone', models: [{ model: 'A', parameters: { weight: 1 } }] }, inputs({ A }));
    expect(problems[0]).toMatchObject({ model: 'gone' });
  });

  it('models with different layer counts', () => {
    const long = llama('/m/long', { layers: 3 });
    const problems = problemsOf({ mergeMethod: 'linear', models: [{ model: 'A', parameters: { weight: 1 } }, { model: 'long', parameters: { weight: 1 } }] }, inputs({ A, long }));
    expect(problems[0].message).toMatch(/different numbers of layers: 'A' 2, 'long' 3/);
  });

  it('a model without a checkpoint', () => {
    expect(problemsOf({ mergeMethod: 'linear', models: [{ model: 'A', parameters: { weight: 1 } }, { model: 'Z' }] }, inputs({ A }))[0]).toMatchObject({ model: 'Z' });
  });
});

describe('required parameters and ranges', () => {
  it('a missing required weight names the model and the tensor', () => {
    const problems = problemsOf({ mergeMethod: 'linear', models: [{ model: 'A', parameters: { weight: 1 } }, { model: 'B' }] }, inputs({ A, B }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ model: 'B', param: 'weight', tensor: 'lm_head.weight' });
    expect(problems[0].message).toMatch(/^model 'B': required parameter 'weight' has no value for tensor 'lm_head.weight' \(and \d+ more tensors\)$/);
  });

  it('a filter that leaves some tensors without a weight names the first of them', () => {
    const problems = problemsOf(
      { mergeMethod: 'linear', models: [{ model: 'A', parameters: { weight: [{ filter: 'self_attn', value: 1 }] } }] },
      inputs({ A }),
    );
    expect(problems[0]).toMatchObject({ model: 'A', tensor: 'lm_head.weight', param: 'weight' });
  });

  it('density outside (0, 1] is an error, naming model, parameter and range', () => {
    for (const density of [0, 1.5, -0.1]) {
      const problems = problemsOf(
        { mergeMethod: 'ties', baseModel: 'base', models: [{ model: 'A', parameters: { weight: 1, density } }] },
        inputs({ base: BASE, A }),
      );
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ model: 'A', param: 'density' });
      expect(problems[0].message).toContain(`must be in (0, 1], got ${density}`);
    }
  });

  it('a density gradient that reaches 0 only in some layers names the first such tensor', () => {
    const problems = problemsOf(
      { mergeMethod: 'ties', baseModel: 'base', models: [{ model: 'A', parameters: { weight: 1, density: [{ filter: 'layers.1.', value: 0 }, { value: 1 }] } }] },
      inputs({ base: BASE, A }),
    );
    expect(problems[0].tensor).toMatch(/^model\.layers\.1\./);
  });

  it('wrong types are errors', () => {
    const problems = problemsOf({ mergeMethod: 'linear', models: [{ model: 'A', parameters: { weight: true } }], parameters: { normalize: 'sometimes' } }, inputs({ A }));
    expect(problems.map((p) => p.param).sort()).toEqual(['normalize', 'weight']);
  });

  it("the kernel's own check runs for every tensor (linear: weights summing to 0 with normalize)", () => {
    const problems = problemsOf(
      { mergeMethod: 'linear', models: [{ model: 'A', parameters: { weight: 1 } }, { model: 'B', parameters: { weight: -1 } }] },
      inputs({ A, B }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].param).toBe('weight');
    expect(problems[0].message).toMatch(/sum/);
  });
});

describe('settings refused or passed on', () => {
  it("tokenizer_source 'union' is refused", () => {
    const problems = problemsOf({ mergeMethod: 'linear', models: [{ model: 'A', parameters: { weight: 1 } }], tokenizerSource: 'union' }, inputs({ A }));
    expect(problems[0].message).toMatch(/'union'.*not supported yet/);
  });

  it("tokenizer_source 'base' is the base model's key; a model key must have been opened", () => {
    const recipe = { mergeMethod: 'ties' as const, baseModel: 'base', models: [{ model: 'A', parameters: { weight: 1 } }], tokenizerSource: 'base', chatTemplate: 'chatml', seed: 7 };
    const p = planMerge(recipe, inputs({ base: BASE, A }));
    expect(p.tokenizerSource).toBe('base');
    expect(p.chatTemplate).toBe('chatml');
    expect(p.seed).toBe(7);
    expect(problemsOf({ ...recipe, tokenizerSource: 'other/tok' }, inputs({ base: BASE, A }))[0].model).toBe('other/tok');
    const withTok = planMerge({ ...recipe, tokenizerSource: 'C' }, inputs({ base: BASE, A, C }));
    expect(withTok.models.map((m) => m.key)).toEqual(['base', 'A', 'C']);
    expect(withTok.models[2].path).toBe('/m/C');
  });
});

describe('non-float tensors and buffers are copied', () => {
  it('an integer tensor is copied from the base', () => {
    const extra = { 'model.position_ids': ['I64', [1, 16]] as ['I64', number[]] };
    const p = planMerge(
      { mergeMethod: 'ties', baseModel: 'base', models: [{ model: 'A', parameters: { weight: 1 } }] },
      inputs({ base: llama('/m/base', { layers: 1, extra }), A: llama('/m/A', { layers: 1, extra }) }),
    );
    const t = tensor(p, 'model.position_ids');
    expect(t.copyFrom).toEqual({ model: 'base', tensor: 'model.position_ids' });
  });

  it("GPT-2's attention mask buffers are copied from the first model, its c_attn.bias merged", () => {
    const gpt2 = (path: string) =>
      checkpoint(path, {
        'h.0.attn.bias': ['F32', [1, 1, 8, 8]],
        'h.0.attn.c_attn.bias': ['F32', [12]],
        'h.0.attn.masked_bias': ['F32', []],
        'wte.weight': ['F32', [10, 4]],
      });
    const p = planMerge({ mergeMethod: 'linear', models: [{ model: 'X', parameters: { weight: 1 } }, { model: 'Y', parameters: { weight: 1 } }] }, inputs({ X: gpt2('/x'), Y: gpt2('/y') }));
    expect(tensor(p, 'h.0.attn.bias').copyFrom).toEqual({ model: 'X', tensor: 'h.0.attn.bias' });
    expect(tensor(p, 'h.0.attn.masked_bias').copyFrom).toEqual({ model: 'X', tensor: 'h.0.attn.masked_bias' });
    expect(tensor(p, 'h.0.attn.c_attn.bias').copyFrom).toBeUndefined();
    expect(tensor(p, 'h.0.attn.c_attn.bias').models).toHaveLength(2);
  });
});

describe("YAML 1.1 booleans (mergekit's reader)", () => {
  it("'yes' and 'off' written for a boolean are read as true and false; other words are errors", () => {
    const A = llama('/m/A', { layers: 1 });
    const p = planMerge({ mergeMethod: 'linear', models: [{ model: 'A', parameters: { weight: 1 } }], parameters: { normalize: 'off', int8_mask: 'yes' } }, inputs({ A }));
    expect(p.tensors[0].global).toEqual({ normalize: false, int8_mask: true });
    expect(problemsOf({ mergeMethod: 'linear', models: [{ model: 'A', parameters: { weight: 1 } }], parameters: { normalize: 'maybe' } }, inputs({ A }))[0].param).toBe('normalize');
  });
});
