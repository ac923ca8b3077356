/** Real community recipes, imported from YAML and planned against synthetic checkpoints with matching names. */
import { describe, expect, it } from 'vitest';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import type { CheckpointInfo } from '../../../electron/engine/io/types.js';
import { planMerge } from '../../../electron/engine/plan/plan-merge.js';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { recipeModelKeys } from '../../../electron/engine/recipe/model-reference.js';
import { recipeText } from '../recipe/recipe-fixtures.js';
import { LAYER_SUFFIXES, llama, type LlamaOptions } from './checkpoints.js';
import { problemsOf, tensor } from './plan-helpers.js';

function load(n: string): MergeRecipe {
  const { text, file } = recipeText(n);
  return parseMergekitYaml(text, file).recipes[0];
}

/** Every model the recipe names as a Llama of `layers` layers. */
function synthetic(recipe: MergeRecipe, layers: number, o: Omit<LlamaOptions, 'layers'> = {}): Map<string, CheckpointInfo> {
  return new Map(recipeModelKeys(recipe).map((k) => [k, llama(`/models/${k}`, { layers, ...o })]));
}

/** Hand formula of spec §1, written out here independently of the code under test. */
function lerpAnchors(s: number[], layer: number, layers: number): number {
  const t = layers > 1 ? layer / (layers - 1) : 1;
  const x = t * (s.length - 1);
  const i0 = Math.floor(x);
  const f = x - i0;
  return (1 - f) * s[i0] + f * s[Math.min(s.length - 1, i0 + 1)];
}

describe('002 gradient slerp (40 layers)', () => {
  const recipe = load('002');
  const plan = planMerge(recipe, synthetic(recipe, 40));

  it('every tensor is a slerp of orca (base) and platypus', () => {
    expect(plan.tensors).toHaveLength(3 + 40 * LAYER_SUFFIXES.length);
    for (const t of plan.tensors) {
      expect(t.method).toBe('slerp');
      expect(t.base?.model).toBe('psmathur/orca_mini_v3_13b');
      expect(t.models.map((m) => m.model)).toEqual(['garage-bAInd/Platypus2-13B']);
      expect(t.outDtype).toBe('F16');
    }
  });

  it('t follows the self_attn and mlp gradients layer by layer, 0.5 elsewhere', () => {
    for (let i = 0; i < 40; i++) {
      expect(tensor(plan, `model.layers.${i}.self_attn.o_proj.weight`).global.t).toBeCloseTo(lerpAnchors([0, 0.5, 0.3, 0.7, 1], i, 40), 12);
      expect(tensor(plan, `model.layers.${i}.mlp.gate_proj.weight`).global.t).toBeCloseTo(lerpAnchors([1, 0.5, 0.7, 0.3, 0], i, 40), 12);
      expect(tensor(plan, `model.layers.${i}.post_attention_layernorm.weight`).global.t).toBe(0.5);
    }
    expect(tensor(plan, 'model.layers.0.self_attn.q_proj.weight').global.t).toBe(0);
    expect(tensor(plan, 'model.layers.39.self_attn.q_proj.weight').global.t).toBe(1);
    expect(tensor(plan, 'model.embed_tokens.weight').global.t).toBe(0.5);
  });
});

describe('003 passthrough: orca [0,24) + platypus [20,40) → 44 layers', () => {
  const recipe = load('003');
  const orca = 'psmathur/orca_mini_v3_13b';
  const platypus = 'garage-bAInd/Platypus2-13B';

  it('44 layers; output layer 24 is platypus layer 20, 43 its layer 39 (F16 inputs: byte copies)', () => {
    const plan = planMerge(recipe, synthetic(recipe, 40, { dtype: 'F16' }));
    expect(plan.layerCount).toBe(44);
    expect(plan.tensors).toHaveLength(3 + 44 * LAYER_SUFFIXES.length);
    expect(tensor(plan, 'model.layers.23.mlp.up_proj.weight').copyFrom).toEqual({ model: orca, tensor: 'model.layers.23.mlp.up_proj.weight' });
    expect(tensor(plan, 'model.layers.24.mlp.up_proj.weight').copyFrom).toEqual({ model: platypus, tensor: 'model.layers.20.mlp.up_proj.weight' });
    expect(tensor(plan, 'model.layers.43.mlp.up_proj.weight').copyFrom).toEqual({ model: platypus, tensor: 'model.layers.39.mlp.up_proj.weight' });
    expect(tensor(plan, 'model.embed_tokens.weight').copyFrom?.model).toBe(orca);
    expect(tensor(plan, 'lm_head.weight').copyFrom?.model).toBe(platypus);
    expect(tensor(plan, 'model.norm.weight').copyFrom?.model).toBe(platypus);
  });

  it('BF16 inputs with dtype float16: the same sources, converted by the passthrough kernel', () => {
    const plan = planMerge(recipe, synthetic(recipe, 40, { dtype: 'BF16' }));
    expect(plan.tensors.every((t) => t.copyFrom === undefined && t.method === 'passthrough' && t.outDtype === 'F16')).toBe(true);
    expect(tensor(plan, 'model.layers.24.mlp.up_proj.weight').models).toEqual([{ model: platypus, tensor: 'model.layers.20.mlp.up_proj.weight' }]);
    expect(tensor(plan, 'model.layers.24.mlp.up_proj.weight').modelParams).toEqual([{ scale: 1 }]);
  });
});

describe('046 dare_ties over 14 models', () => {
  const recipe = load('046');
  const plan = planMerge(recipe, synthetic(recipe, 32));

  it('the base listed first is dropped from the models; 14 models in recipe order', () => {
    const t = tensor(plan, 'model.layers.5.self_attn.v_proj.weight');
    expect(t.base?.model).toBe('mistralai/Mistral-7B-v0.1');
    expect(t.models.map((m) => m.model)).toEqual(recipe.models!.slice(1).map((m) => m.model));
    expect(plan.warnings).toEqual([]);
  });

  it("per-model weight and density as written; globals complete with mergekit's l1 rescale", () => {
    const t = tensor(plan, 'model.embed_tokens.weight');
    expect(t.modelParams[0]).toEqual({ weight: 0.08, density: 0.4 });
    expect(t.modelParams[13]).toEqual({ weight: 0.08, density: 0.5 });
    expect(t.global).toEqual({ normalize: false, lambda: 1, rescale: true, rescale_norm: 'l1', consensus: 'sum', int8_mask: true });
    expect(t.outDtype).toBe('BF16');
  });
});

describe('broken recipes are refused by the planner with their real problems', () => {
  it('001 on tiny tensors: a density that keeps no entry is caught by the kernel check, before any read', () => {
    const recipe = load('001');
    const problems = problemsOf(recipe, synthetic(recipe, 80, { hidden: 4 }));
    expect(problems[0]).toMatchObject({ model: 'psmathur/orca_mini_v3_13b', param: 'density' });
  });

  it("022: slerp whose base is not among its inputs, with tokenizer union", () => {
    const recipe = load('022');
    const messages = problemsOf(recipe, synthetic(recipe, 32)).map((p) => p.message);
    expect(messages.some((m) => /base_model 'TinyPixel\/Llama-2-7B-bf16-sharded' must be one of its two inputs/.test(m))).toBe(true);
    expect(messages.some((m) => /'union'/.test(m))).toBe(true);
  });

  it('039 with its base fixed: the lost t is a missing required parameter', () => {
    const recipe = { ...load('039'), baseModel: 'Nous-Hermes-2-Yi-34B', tokenizerSource: undefined };
    const problems = problemsOf(recipe, synthetic(recipe, 60));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ param: 't' });
    expect(problems[0].message).toMatch(/required parameter 't' has no value for tensor/);
  });

  it('020 still has its weights: it plans, with int8_mask back at its default', () => {
    const recipe = load('020');
    const plan = planMerge(recipe, synthetic(recipe, 60));
    expect(plan.tensors[0].global.int8_mask).toBe(false);
    expect(plan.tensors[0].modelParams.map((p) => p.weight)).toEqual([0.41, 0.18, 0.41]);
  });
});

describe('importable recipes plan against synthetic inputs', () => {
  const numbers = ['001', '002', '003', '005', '008', '009', '012', '017', '019', '025', '029', '031', '043', '044', '045', '057', '058', '060', '064', '069', '072', '078', '079'];
  it.each(numbers)('recipe %s', (n) => {
    const recipe = load(n);
    const layers = Math.max(8, ...(recipe.slices ?? []).flatMap((s) => s.sources.map((x) => x.layerRange[1])));
    // hidden 16: density gradients such as 001's must keep at least one entry of the smallest tensors
    const plan = planMerge(recipe, synthetic(recipe, layers, { hidden: 16 }));
    expect(plan.tensors.length).toBeGreaterThan(0);
  });
});
