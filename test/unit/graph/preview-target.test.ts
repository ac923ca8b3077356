/** What a barrier preview or sweep of a merge node probes: its recipe as written, axes, the A→B line, the written setting. */
import { describe, expect, it } from 'vitest';
import { defaultTarget, previewRecipe, previewTargets, recipeModelIndex, sameSetting, withAxisValue } from '../../../common/graph/preview-target.js';
import { edge, graph, merge, model, node, output } from './build.js';

function ties() {
  const g = graph();
  model(g, 'base');
  model(g, 'math');
  model(g, 'code');
  merge(g, 'm', 'ties', { lambda: 1 }, { math: { weight: 1, density: 0.5 }, code: { weight: 1, density: 0.5 } });
  edge(g, 'base', 'm', 'base');
  edge(g, 'math', 'm', 'models');
  edge(g, 'code', 'm', 'models');
  return g;
}

describe('preview targets', () => {
  it('the recipe goes through the connected Output (dtype, seed), else is the bare merge', () => {
    const g = ties();
    expect(previewRecipe(g, 'm')).toMatchObject({ ok: true, outputNodeId: null, recipe: { mergeMethod: 'ties', baseModel: '/m/base' } });
    output(g, 'o');
    (g.nodes.find((n) => n.id === 'o')!.data as { dtype: string }).dtype = 'bfloat16';
    edge(g, 'm', 'o', 'weights');
    const r = previewRecipe(g, 'm');
    expect(r).toMatchObject({ ok: true, outputNodeId: 'o', recipe: { outDtype: 'bfloat16' } });
  });

  it('per-model axes index the recipe models; slerp counts the base among its inputs', () => {
    const g = ties();
    expect(recipeModelIndex(g, 'm', 'code', 'density')).toEqual({ ok: true, index: 1 });
    const s = graph();
    model(s, 'a');
    model(s, 'b');
    merge(s, 's', 'slerp', { t: 0.5 });
    edge(s, 'a', 's', 'base');
    edge(s, 'b', 's', 'models');
    expect(recipeModelIndex(s, 's', 'b', 'weight')).toEqual({ ok: true, index: 1 });
    // Two inputs: the A→B line is offered; t (labelled ends) is the default.
    const targets = previewTargets(s, 's');
    expect(targets.map((t) => t.kind)).toEqual(['slider', 'interpolate']);
    expect(targets[1]).toEqual({ kind: 'interpolate', a: '/m/a', b: '/m/b', label: 'Straight line a → b' });
    expect(defaultTarget(s, 's')).toMatchObject({ kind: 'slider', param: 't' });
  });

  it('lists every numeric slider of a merge node; the global one comes first', () => {
    const t = previewTargets(ties(), 'm');
    expect(t.map((x) => x.label)).toEqual(['λ (scale)', 'Weight of Model math', 'Density of Model math', 'Weight of Model code', 'Density of Model code']);
    expect(defaultTarget(ties(), 'm')).toMatchObject({ kind: 'slider', param: 'lambda', sourceId: null });
  });

  it('refuses a scaled task vector’s weight, whose slider is not what the merge sees', () => {
    const g = graph();
    model(g, 'base');
    model(g, 'x');
    node(g, 'tv', { kind: 'taskVector' });
    node(g, 'sc', { kind: 'scale', alpha: -1 });
    merge(g, 'm', 'task_arithmetic', {}, { sc: { weight: 1 } });
    edge(g, 'x', 'tv', 'model');
    edge(g, 'base', 'tv', 'base');
    edge(g, 'tv', 'sc', 'taskVector');
    edge(g, 'sc', 'm', 'models');
    expect(recipeModelIndex(g, 'm', 'sc', 'weight')).toMatchObject({ ok: false });
  });

  it('finds the written setting in a preview: the axis value, or its default when absent', () => {
    const recipe = { mergeMethod: 'ties' as const, baseModel: 'b', models: [{ model: 'x', parameters: { weight: 1 } }], parameters: { lambda: 1 } };
    const axis = { param: 'lambda' };
    expect(sameSetting(recipe, axis, 0.8, withAxisValue(recipe, axis, 0.8))).toBe(true);
    expect(sameSetting(recipe, axis, 0.8, withAxisValue(recipe, axis, 0.6))).toBe(false);
    expect(sameSetting(recipe, axis, 0.8, { ...withAxisValue(recipe, axis, 0.8), seed: 3 })).toBe(false);
    const noLambda = { ...recipe, parameters: {} };
    expect(sameSetting(recipe, axis, 1, noLambda, 1)).toBe(true);
    expect(sameSetting(recipe, { param: 'weight', model: 0 }, 1, recipe)).toBe(true);
  });
});
