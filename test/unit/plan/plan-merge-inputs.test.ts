/** Inputs that disagree: missing tensors, vocabulary sizes, hidden sizes, tied embeddings. */
import { describe, expect, it } from 'vitest';
import { planMerge } from '../../../electron/engine/plan/plan-merge.js';
import { inputs, llama } from './checkpoints.js';
import { problemsOf, tensor } from './plan-helpers.js';

const linear3 = {
  mergeMethod: 'linear' as const,
  models: [
    { model: 'A', parameters: { weight: 1 } },
    { model: 'B', parameters: { weight: 1 } },
    { model: 'C', parameters: { weight: 1 } },
  ],
};

describe('missing tensors', () => {
  const gone = 'model.layers.1.self_attn.v_proj.weight';

  it('a tensor missing from one model is merged from the others, with a warning naming model and tensor', () => {
    const plan = planMerge(linear3, inputs({ A: llama('/A', { layers: 2 }), B: llama('/B', { layers: 2, omit: [gone] }), C: llama('/C', { layers: 2 }) }));
    const t = tensor(plan, gone);
    expect(t.models.map((m) => m.model)).toEqual(['A', 'C']);
    expect(t.modelParams).toHaveLength(2);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toContain("model 'B'");
    expect(plan.warnings[0]).toContain(gone);
  });

  it('a tensor only some models have is in the output (the union), wherever the donor lacks it', () => {
    const plan = planMerge(linear3, inputs({ A: llama('/A', { layers: 2, omit: [gone] }), B: llama('/B', { layers: 2 }), C: llama('/C', { layers: 2 }) }));
    expect(tensor(plan, gone).models.map((m) => m.model)).toEqual(['B', 'C']);
  });

  it('a tensor missing from the base of a base-requiring method is an error naming it', () => {
    const problems = problemsOf(
      { mergeMethod: 'task_arithmetic', baseModel: 'A', models: [{ model: 'B', parameters: { weight: 1 } }] },
      inputs({ A: llama('/A', { layers: 2, omit: [gone] }), B: llama('/B', { layers: 2 }) }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ tensor: gone, model: 'A' });
    expect(problems[0].message).toContain(`'${gone}' is missing from the base model 'A'`);
  });

  it('the same tensor missing from the base in every layer is one problem, counting the layers', () => {
    const omit = [0, 1, 2].map((i) => `model.layers.${i}.self_attn.v_proj.weight`);
    const problems = problemsOf(
      { mergeMethod: 'task_arithmetic', baseModel: 'A', models: [{ model: 'B', parameters: { weight: 1 } }] },
      inputs({ A: llama('/A', { layers: 3, omit }), B: llama('/B', { layers: 3 }) }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].tensor).toBe('model.layers.0.self_attn.v_proj.weight');
    expect(problems[0].message).toMatch(/\(and 2 more tensors\)$/);
  });

  it('a tensor only the base has is copied from it, with a warning', () => {
    const plan = planMerge(
      { mergeMethod: 'task_arithmetic', baseModel: 'A', models: [{ model: 'B', parameters: { weight: 1 } }] },
      inputs({ A: llama('/A', { layers: 2 }), B: llama('/B', { layers: 2, omit: [gone] }) }),
    );
    expect(tensor(plan, gone).copyFrom).toEqual({ model: 'A', tensor: gone });
    expect(plan.warnings.some((w) => w.includes('only in the base') && w.includes(gone))).toBe(true);
  });
});

describe('vocabulary sizes', () => {
  it('embedding-like tensors are cut to the smallest vocabulary; the output vocab is reported', () => {
    const plan = planMerge(linear3, inputs({ A: llama('/A', { layers: 1, vocab: 12 }), B: llama('/B', { layers: 1, vocab: 10 }), C: llama('/C', { layers: 1, vocab: 11 }) }));
    expect(tensor(plan, 'model.embed_tokens.weight').rows).toBe(10);
    expect(tensor(plan, 'lm_head.weight').rows).toBe(10);
    expect(tensor(plan, 'model.norm.weight').rows).toBeUndefined();
    expect(plan.vocabSize).toBe(10);
    expect(plan.warnings.some((w) => w.includes('cut to the smallest, 10 rows'))).toBe(true);
  });

  it('the same vocabulary everywhere: no cut, the vocab size as it is', () => {
    const plan = planMerge(linear3, inputs({ A: llama('/A', { layers: 1 }), B: llama('/B', { layers: 1 }), C: llama('/C', { layers: 1 }) }));
    expect(plan.tensors.every((t) => t.rows === undefined)).toBe(true);
    expect(plan.vocabSize).toBe(10);
  });

  it('a frankenmerge taking the embedding and the head from models of different vocabularies cuts both to the smaller', () => {
    const plan = planMerge(
      { mergeMethod: 'passthrough', slices: [{ sources: [{ model: 'A', layerRange: [0, 1] }] }, { sources: [{ model: 'B', layerRange: [0, 1] }] }] },
      inputs({ A: llama('/A', { layers: 1, vocab: 12 }), B: llama('/B', { layers: 1, vocab: 10 }) }),
    );
    expect(tensor(plan, 'model.embed_tokens.weight').rows).toBe(10);
    expect(tensor(plan, 'lm_head.weight').rows).toBeUndefined();
    expect(plan.vocabSize).toBe(10);
  });

  it('a hidden-size mismatch is an error naming both files and the tensor', () => {
    const problems = problemsOf(linear3, inputs({ A: llama('/A', { layers: 1 }), B: llama('/B', { layers: 1, hidden: 6 }), C: llama('/C', { layers: 1 }) }));
    const p = problems.find((x) => x.tensor === 'model.embed_tokens.weight');
    expect(p?.message).toContain('/A/model.safetensors');
    expect(p?.message).toContain('/B/model.safetensors');
    expect(p?.message).toMatch(/hidden size/);
    const q = problems.find((x) => x.tensor === 'model.layers.0.mlp.up_proj.weight');
    expect(q?.message).toMatch(/shape \[8, 4\] in \/A\/model\.safetensors \('A'\) but \[12, 6\] in \/B\/model\.safetensors \('B'\)/);
  });
});

describe('tied embeddings (spec §0)', () => {
  it("a tying model contributes its embedding as lm_head; the output writes lm_head", () => {
    const plan = planMerge(linear3, inputs({ A: llama('/A', { layers: 1 }), B: llama('/B', { layers: 1, tied: true }), C: llama('/C', { layers: 1 }) }));
    const head = tensor(plan, 'lm_head.weight');
    expect(head.models).toEqual([
      { model: 'A', tensor: 'lm_head.weight' },
      { model: 'B', tensor: 'model.embed_tokens.weight' },
      { model: 'C', tensor: 'lm_head.weight' },
    ]);
    expect(plan.tieWordEmbeddings).toBe(false);
    expect(plan.warnings).toEqual([]);
  });

  it('when the donor ties, the head still comes from the others, at the end', () => {
    const plan = planMerge(linear3, inputs({ A: llama('/A', { layers: 1, tied: true }), B: llama('/B', { layers: 1 }), C: llama('/C', { layers: 1 }) }));
    expect(plan.tensors[plan.tensors.length - 1].name).toBe('lm_head.weight');
    expect(tensor(plan, 'lm_head.weight').models[0]).toEqual({ model: 'A', tensor: 'model.embed_tokens.weight' });
  });

  it('when every input ties, no lm_head is written', () => {
    const plan = planMerge(linear3, inputs({ A: llama('/A', { layers: 1, tied: true }), B: llama('/B', { layers: 1, tied: true }), C: llama('/C', { layers: 1, tied: true }) }));
    expect(plan.tensors.some((t) => t.name === 'lm_head.weight')).toBe(false);
    expect(plan.tieWordEmbeddings).toBe(true);
  });

  it('nothing ties: tieWordEmbeddings is left to the donor config', () => {
    const plan = planMerge(linear3, inputs({ A: llama('/A', { layers: 1 }), B: llama('/B', { layers: 1 }), C: llama('/C', { layers: 1 }) }));
    expect(plan.tieWordEmbeddings).toBeUndefined();
  });
});
