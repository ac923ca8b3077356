/** Fisher merging in the planner: each model paired with its own Fisher file's tensor (ModelSpec.fisher), refusals named. */
import { describe, expect, it } from 'vitest';
import { planMerge } from '../../../electron/engine/plan/plan-merge.js';
import { inputs, llama } from './checkpoints.js';
import { problemsOf, tensor } from './plan-helpers.js';

const recipe = {
  mergeMethod: 'fisher' as const,
  models: [
    { model: 'A', fisher: 'fA', parameters: { weight: 1 } },
    { model: 'B', fisher: 'fB', parameters: { weight: 2 } },
  ],
};
const name = 'model.layers.1.mlp.up_proj.weight';

describe('Fisher merging in the planner', () => {
  it('pairs every merged tensor of each model with that tensor of its own Fisher file, and records the files as inputs', () => {
    const cks = inputs({
      A: llama('/A', { layers: 2 }),
      B: llama('/B', { layers: 2 }),
      fA: llama('/fA', { layers: 2, dtype: 'F32' }),
      fB: llama('/fB', { layers: 2, dtype: 'F32' }),
    });
    const plan = planMerge(recipe, cks);
    const t = tensor(plan, name);
    expect(t.models).toEqual([
      { model: 'A', tensor: name },
      { model: 'B', tensor: name },
    ]);
    expect(t.fisher).toEqual([
      { model: 'fA', tensor: name },
      { model: 'fB', tensor: name },
    ]);
    expect(plan.tensors.every((x) => x.fisher?.length === 2)).toBe(true);
    expect(plan.models).toEqual([
      { key: 'A', path: '/A' },
      { key: 'B', path: '/B' },
      { key: 'fA', path: '/fA', role: 'fisher' },
      { key: 'fB', path: '/fB', role: 'fisher' },
    ]);
  });

  it('refuses a model without a Fisher file, and a Fisher file without the tensor, naming model, file and tensor', () => {
    const noFile = problemsOf(
      { mergeMethod: 'fisher', models: [recipe.models[0], { model: 'B' }] },
      inputs({ A: llama('/A', { layers: 2 }), B: llama('/B', { layers: 2 }), fA: llama('/fA', { layers: 2 }) }),
    );
    expect(noFile.map((p) => p.message)).toEqual([expect.stringContaining("model 'B' has no Fisher file")]);

    const missing = problemsOf(
      recipe,
      inputs({ A: llama('/A', { layers: 2 }), B: llama('/B', { layers: 2 }), fA: llama('/fA', { layers: 2 }), fB: llama('/fB', { layers: 2, omit: [name] }) }),
    );
    expect(missing).toHaveLength(1);
    expect(missing[0].message.startsWith('/fB: ')).toBe(true);
    expect(missing[0].message).toContain(name);
    expect(missing[0]).toMatchObject({ model: 'B', tensor: name, param: 'fisher' });
  });

  it('other methods ignore Fisher files, saying so', () => {
    const plan = planMerge({ ...recipe, mergeMethod: 'linear' }, inputs({ A: llama('/A', { layers: 2 }), B: llama('/B', { layers: 2 }) }));
    expect(plan.tensors.some((t) => t.fisher !== undefined)).toBe(false);
    expect(plan.warnings.join('\n')).toContain("linear does not read Fisher files");
  });
});
