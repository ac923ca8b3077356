/**
 * Per-model parameters at a recipe's top level (mergekit: the default of every model that does
 * not set its own, filters and gradients applying at each level, spec §1) survive the recipe
 * becoming a graph: the graph's merge resolves them as the YAML does (values worked by hand
 * below), validation counts them, and the export writes them back at the top level.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileOutput } from '../../../common/graph/compile.js';
import { effectiveModelParam } from '../../../common/graph/inherited-param.js';
import { recipeToProject } from '../../../common/graph/recipe-to-project.js';
import { validateGraph } from '../../../common/graph/validate-graph.js';
import { getMethod } from '../../../common/methods/registry.js';
import type { ResolvedParams } from '../../../common/methods/types.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import type { InputModel } from '../../../electron/engine/plan/input-model.js';
import { ProblemList } from '../../../electron/engine/plan/problem-list.js';
import { resolveTensorParams } from '../../../electron/engine/plan/tensor-params.js';
import { exportMergekitYaml } from '../../../electron/engine/recipe/export/export-mergekit-yaml.js';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { edge, graph, merge, model, node, output, taskVectorMerge } from './build.js';

const YAML = [
  'merge_method: ties',
  'base_model: b',
  'models:',
  '  - model: x',
  '    parameters:',
  '      weight: 1',
  '      density: 1',
  '  - model: y',
  '    parameters:',
  '      weight: 0.3',
  '      density:',
  '        - filter: self_attn',
  '          value: 0.7',
  '  - model: z',
  'parameters:',
  '  density: 0.4',
  '  weight:',
  '    - filter: mlp',
  '      value: 0.5',
  '    - value: [0.2, 0.6]',
  '  normalize: true',
  'dtype: float32',
  '',
].join('\n');

function imported(text = YAML): MergeRecipe {
  const [r] = parseMergekitYaml(text, 'r.yaml').recipes;
  return r;
}

function graphOf(recipe: MergeRecipe) {
  const laid = recipeToProject(recipe, { name: 'r', outFolder: '/out' });
  if (!laid.ok) throw new Error(laid.reason);
  return laid.project;
}

function compiled(recipe: MergeRecipe): MergeRecipe {
  const c = compileOutput(graphOf(recipe), 'output-1');
  if (!c.ok) throw new Error(c.reason);
  return c.job.recipe;
}

/** The engine's per-model values for one tensor of a 3-layer stack (t = layer / 2), each model's weight and density. */
function resolved(recipe: MergeRecipe, tensor: string, t: number): { weight: unknown; density: unknown }[] {
  const method = getMethod(recipe.mergeMethod)!;
  const models = (recipe.models ?? []).filter((m) => m.model !== recipe.baseModel);
  const problems = new ProblemList();
  const r = resolveTensorParams(
    {
      method,
      globalParams: recipe.parameters,
      outputName: tensor,
      t,
      models: models.map((m) => ({
        source: { key: m.model, model: {} as InputModel, range: [0, 3], parameters: m.parameters, isBase: false },
        inputName: tensor,
      })),
    },
    problems,
  );
  expect(problems.list()).toEqual([]);
  return r.modelParams.map((p: ResolvedParams) => ({ weight: p.weight, density: p.density }));
}

describe('per-model parameters given at the top level', () => {
  // Worked by hand from mergekit's precedence (model's own, else top level; a filter that does not
  // match hands the tensor to the next level):
  //   layer 1 mlp (t = 0.5):  x 1 / 1;  y 0.3 / 0.4 (its own filter is self_attn);  z 0.5 (mlp filter) / 0.4
  //   layer 2 q_proj (t = 1): x 1 / 1;  y 0.3 / 0.7;  z 0.2 + (0.6 − 0.2)·1 = 0.6 / 0.4
  //   layer 1 q_proj (t = 0.5): z 0.2 + 0.4·0.5 = 0.4
  const expected: [string, number, { weight: number; density: number }[]][] = [
    ['model.layers.1.mlp.up_proj.weight', 0.5, [{ weight: 1, density: 1 }, { weight: 0.3, density: 0.4 }, { weight: 0.5, density: 0.4 }]],
    ['model.layers.2.self_attn.q_proj.weight', 1, [{ weight: 1, density: 1 }, { weight: 0.3, density: 0.7 }, { weight: 0.6, density: 0.4 }]],
    ['model.layers.1.self_attn.q_proj.weight', 0.5, [{ weight: 1, density: 1 }, { weight: 0.3, density: 0.7 }, { weight: 0.4, density: 0.4 }]],
  ];

  it('the YAML recipe resolves to the hand-worked values (the reference the graph must meet)', () => {
    for (const [tensor, t, want] of expected) {
      const got = resolved(imported(), tensor, t);
      got.forEach((g, i) => {
        expect(g.density, `${tensor} model ${i}`).toBeCloseTo(want[i].density, 12);
        expect(g.weight, `${tensor} model ${i}`).toBeCloseTo(want[i].weight, 12);
      });
    }
  });

  it("the imported graph's merge resolves to the same values: the node's density and weight are every model's default", () => {
    const recipe = compiled(imported());
    for (const [tensor, t, want] of expected) {
      const got = resolved(recipe, tensor, t);
      got.forEach((g, i) => {
        expect(g.density, `${tensor} model ${i}`).toBeCloseTo(want[i].density, 12);
        expect(g.weight, `${tensor} model ${i}`).toBeCloseTo(want[i].weight, 12);
      });
    }
  });

  it('the export writes them back at the top level, as written, and the file imports as the same recipe', () => {
    const text = exportMergekitYaml([compiled(imported())]).text;
    const doc = parse(text) as Record<string, unknown>;
    expect(doc.parameters).toEqual({ density: 0.4, weight: [{ filter: 'mlp', value: 0.5 }, { value: [0.2, 0.6] }], normalize: true });
    expect((doc.models as unknown[])[2]).toEqual({ model: 'z' });
    expect(parseMergekitYaml(text, 'r.yaml').recipes[0].parameters).toEqual(imported().parameters);
  });

  it("validation: a weight given only at the top level is every model's weight; without it one is required", () => {
    const noHeaders = () => undefined;
    const onlyGlobal = imported('merge_method: task_arithmetic\nbase_model: b\nmodels:\n  - model: x\n  - model: y\nparameters:\n  weight: 0.5\n');
    const g = graphOf(onlyGlobal);
    expect(validateGraph(g, noHeaders)['merge-1']).toEqual({ ok: true });
    expect(compiled(onlyGlobal).parameters).toEqual({ weight: 0.5 });
    const none = imported('merge_method: task_arithmetic\nbase_model: b\nmodels:\n  - model: x\n  - model: y\n');
    expect(validateGraph(graphOf(none), noHeaders)['merge-1']).toEqual({ ok: false, reason: 'Weight of Model x is required.' });
  });

  it('validation: weights that sum to zero only through the inherited weight are caught (linear, normalize)', () => {
    // x inherits 1 from the top level, y sets −1: Σw = 0 where linear divides by it.
    const r = imported('merge_method: linear\nmodels:\n  - model: x\n  - model: y\n    parameters:\n      weight: -1\nparameters:\n  weight: 1\n');
    const v = validateGraph(graphOf(r), () => undefined)['merge-1'];
    expect(v.ok).toBe(false);
  });

  it("an input's field shows its own value, else the node's, else the method's default", () => {
    const density = getMethod('ties')!.params.find((p) => p.name === 'density')!;
    const weight = getMethod('ties')!.params.find((p) => p.name === 'weight')!;
    expect(effectiveModelParam(density, 0.9, 0.4)).toEqual({ value: 0.9, from: 'model' });
    expect(effectiveModelParam(density, undefined, 0.4)).toEqual({ value: 0.4, from: 'node' });
    expect(effectiveModelParam(density, undefined, undefined)).toEqual({ value: 1, from: 'default' });
    expect(effectiveModelParam(weight, undefined, undefined)).toEqual({ value: undefined, from: 'none' });
  });
});

describe('Task Vector inputs inherit the weight set for all models too', () => {
  /** Task arithmetic over base: tvA = A − base straight in, tvB = B − base through Scale 3, and Model C. */
  function taskVectors(params: Record<string, unknown>, modelParams: Record<string, Record<string, unknown>>) {
    return taskVectorMerge({ alpha: 3, params, modelParams, withC: true, withBase: true });
  }

  it('the merge resolves them to the node\'s weight (times the Scale), as a Model input without its own', () => {
    // All models: weight 0.5 (layer 0) → 0.9 (layer 2). C sets none either.
    // At t = 0.5: A 0.7, B 3 · 0.7 = 2.1, C 0.7.
    const c = compileOutput(taskVectors({ weight: [0.5, 0.9] }, {}), 'o');
    if (!c.ok) throw new Error(c.reason);
    const got = resolved(c.job.recipe, 'model.layers.1.mlp.up_proj.weight', 0.5).map((m) => m.weight as number);
    [0.7, 2.1, 0.7].forEach((w, i) => expect(got[i], `model ${i}`).toBeCloseTo(w, 12));
  });

  it('the export writes no weight for the unscaled one (it inherits the top level) and the scaled weight for the other', () => {
    const c = compileOutput(taskVectors({ weight: 0.5 }, {}), 'o');
    if (!c.ok) throw new Error(c.reason);
    const doc = parse(exportMergekitYaml([c.job.recipe]).text) as { models: unknown[]; parameters: unknown };
    expect(doc.models).toEqual([{ model: '/m/A' }, { model: '/m/B', parameters: { weight: 1.5 } }, { model: '/m/C' }]);
    expect(doc.parameters).toEqual({ weight: 0.5 });
  });

  it('validation counts the inherited weight: −1 for all models and 1 on C sum to zero with normalize on', () => {
    // tvA inherits −1 (tvB sets 0, so it adds nothing), C sets 1: Σw = 0 where task arithmetic with normalize divides by it.
    const g = taskVectors({ weight: -1, normalize: true }, { scale: { weight: 0 }, C: { weight: 1 } });
    expect(validateGraph(g, () => undefined).ta.ok).toBe(false);
  });
});

