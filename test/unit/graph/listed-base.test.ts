/**
 * A base_model listed again under `models:` with no parameters (recipes 020, 035, 040, 041, 046,
 * 074): mergekit's task-vector family (and model_stock, SCE, the optional-base methods) merge it
 * as the base only — its task vector is zero — so it needs no weight. The imported graph validates
 * as the engine plans (no "Weight of ... is required"), and exports the listing as written.
 * Methods that merge no base (linear) merge a listed base as a model: its weight stays required.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileOutput } from '../../../common/graph/compile.js';
import { recipeToProject } from '../../../common/graph/recipe-to-project.js';
import { validateGraph } from '../../../common/graph/validate-graph.js';
import { exportMergekitYaml } from '../../../electron/engine/recipe/export/export-mergekit-yaml.js';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { recipeText } from '../recipe/recipe-fixtures.js';

function graphOf(text: string, file = 'r.yaml') {
  const [recipe] = parseMergekitYaml(text, file).recipes;
  const laid = recipeToProject(recipe, { name: 'r', outFolder: '/out' });
  if (!laid.ok) throw new Error(laid.reason);
  return laid.project;
}

const noHeaders = () => undefined;
const listed = (method: string, extra = '') =>
  `merge_method: ${method}\nbase_model: b\nmodels:\n  - model: b\n  - model: x\n    parameters:\n      weight: 0.5\n  - model: y\n    parameters:\n      weight: 0.5\n${extra}`;

describe('a base listed among the models with no parameters', () => {
  it('020 (dare_ties): the imported graph validates, and exports the base under models: with no parameters', () => {
    const { text, file } = recipeText('020');
    const g = graphOf(text, file);
    expect(validateGraph(g, noHeaders)['merge-1']).toEqual({ ok: true });
    const c = compileOutput(g, 'output-1');
    if (!c.ok) throw new Error(c.reason);
    const doc = parse(exportMergekitYaml([c.job.recipe]).text) as { base_model: string; models: { model: string; parameters?: unknown }[] };
    expect(doc.models[0]).toEqual({ model: doc.base_model });
    expect(doc.models).toHaveLength(4);
  });

  it.each(['020', '035', '040', '041', '046', '074'])('community recipe %s: its merge node validates', (n) => {
    const { text, file } = recipeText(n);
    expect(validateGraph(graphOf(text, file), noHeaders)['merge-1']).toEqual({ ok: true });
  });

  it.each(['task_arithmetic', 'ties', 'dare_linear', 'breadcrumbs_ties', 'della', 'model_stock', 'sce', 'multislerp'])('%s: no weight needed for the listed base', (method) => {
    expect(validateGraph(graphOf(listed(method)), noHeaders)['merge-1']).toEqual({ ok: true });
  });

  it("linear merges no base: a base listed among its models is a model like the others, whose weight is required", () => {
    expect(validateGraph(graphOf(listed('linear')), noHeaders)['merge-1']).toEqual({ ok: false, reason: 'Weight of Model b is required.' });
  });

  it("the listed base's inherited weight does not count in the weight sum (task arithmetic with normalize: 1 − 2 = −1, not 1 − 2 + 1 = 0)", () => {
    const text = 'merge_method: task_arithmetic\nbase_model: b\nmodels:\n  - model: b\n  - model: x\n  - model: y\n    parameters:\n      weight: -2\nparameters:\n  weight: 1\n  normalize: true\n';
    expect(validateGraph(graphOf(text), noHeaders)['merge-1']).toEqual({ ok: true });
  });
});
