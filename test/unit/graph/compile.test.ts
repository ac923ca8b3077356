import { describe, expect, it } from 'vitest';
import { compileOutput } from '../../../common/graph/compile.js';
import { edge, graph, merge, model, node, output, taskVectorMerge } from './build.js';

describe('graph → MergeRecipe', () => {
  it('compiles a TIES node with base, two models and their per-model parameters', () => {
    const g = graph();
    model(g, 'b');
    model(g, 'x');
    model(g, 'y');
    merge(g, 't', 'ties', { lambda: 0.8, bogus: 3 }, { x: { weight: 1, density: 0.5 }, y: { weight: 0.5, density: [0.2, 0.8] } });
    output(g, 'o', '/merged');
    edge(g, 'b', 't', 'base');
    edge(g, 'x', 't', 'models');
    edge(g, 'y', 't', 'models');
    edge(g, 't', 'o', 'weights');
    const r = compileOutput(g, 'o');
    expect(r).toEqual({
      ok: true,
      job: {
        outputNodeId: 'o',
        mergeNodeId: 't',
        out: '/merged',
        force: false,
        shardSize: 1e9,
        seed: 0,
        modelNodeIds: ['b', 'x', 'y'],
        recipe: {
          mergeMethod: 'ties',
          baseModel: '/m/b',
          models: [
            { model: '/m/x', parameters: { weight: 1, density: 0.5 } },
            { model: '/m/y', parameters: { weight: 0.5, density: [0.2, 0.8] } },
          ],
          // Parameters the method does not declare are not sent.
          parameters: { lambda: 0.8 },
        },
      },
    });
  });

  it('lists the base among the two inputs of SLERP, as mergekit recipes do', () => {
    const g = graph();
    model(g, 'a');
    model(g, 'c');
    merge(g, 's', 'slerp', { t: 0.3 });
    output(g, 'o');
    edge(g, 'a', 's', 'base');
    edge(g, 'c', 's', 'models');
    edge(g, 's', 'o', 'weights');
    const r = compileOutput(g, 'o');
    expect(r.ok && r.job.recipe).toEqual({ mergeMethod: 'slerp', baseModel: '/m/a', models: [{ model: '/m/a' }, { model: '/m/c' }], parameters: { t: 0.3 } });
  });

  it('reduces Task Vector, Scale and Add chains to task arithmetic weights', () => {
    // base + 0.5·(A − base) − 1·(B − base) + 2·(A − base) = task arithmetic with A: 2.5, B: −1.
    const g = graph();
    model(g, 'base');
    model(g, 'A');
    model(g, 'B');
    node(g, 'tvA', { kind: 'taskVector' });
    node(g, 'tvB', { kind: 'taskVector' });
    node(g, 'half', { kind: 'scale', alpha: 0.5 });
    node(g, 'neg', { kind: 'scale', alpha: -1 });
    node(g, 'twice', { kind: 'scale', alpha: 2 });
    node(g, 'sum', { kind: 'add' });
    merge(g, 'ta', 'task_arithmetic', {}, { sum: { weight: 1 } });
    output(g, 'o');
    edge(g, 'A', 'tvA', 'model');
    edge(g, 'base', 'tvA', 'base');
    edge(g, 'B', 'tvB', 'model');
    edge(g, 'base', 'tvB', 'base');
    edge(g, 'tvA', 'half', 'taskVector');
    edge(g, 'tvB', 'neg', 'taskVector');
    edge(g, 'tvA', 'twice', 'taskVector');
    edge(g, 'half', 'sum', 'taskVectors');
    edge(g, 'neg', 'sum', 'taskVectors');
    edge(g, 'twice', 'sum', 'taskVectors');
    edge(g, 'sum', 'ta', 'models');
    edge(g, 'ta', 'o', 'weights');
    const r = compileOutput(g, 'o');
    expect(r.ok && r.job.recipe).toEqual({
      mergeMethod: 'task_arithmetic',
      baseModel: '/m/base',
      models: [
        { model: '/m/A', parameters: { weight: 2.5 } },
        { model: '/m/B', parameters: { weight: -1 } },
      ],
    });
  });

  it('scales a per-layer weight by the chain coefficient', () => {
    const g = graph();
    model(g, 'base');
    model(g, 'A');
    node(g, 'tv', { kind: 'taskVector' });
    node(g, 'neg', { kind: 'scale', alpha: -2 });
    merge(g, 'ta', 'task_arithmetic', {}, { neg: { weight: [0, 0.5, 1] } });
    output(g, 'o');
    edge(g, 'A', 'tv', 'model');
    edge(g, 'base', 'tv', 'base');
    edge(g, 'tv', 'neg', 'taskVector');
    edge(g, 'neg', 'ta', 'models');
    edge(g, 'ta', 'o', 'weights');
    const r = compileOutput(g, 'o');
    expect(r.ok && r.job.recipe.models).toEqual([{ model: '/m/A', parameters: { weight: [-0, -1, -2] } }]);
  });

  /** base, A, B; tvA = A − base straight into the merge, tvB = B − base through Scale α into it. */
  function taskVectorInputs(alpha: number, params: Record<string, unknown>, modelParams: Record<string, Record<string, unknown>> = {}) {
    const r = compileOutput(taskVectorMerge({ alpha, params, modelParams }), 'o');
    if (!r.ok) throw new Error(r.reason);
    return r.job.recipe;
  }

  it('a task vector input with no weight of its own inherits the weight set for all models on the node', () => {
    // All models: weight 0.4. tvA (α 1) takes it as it is, from the top level as any input does;
    // tvB through Scale 3 is 3·(B − base) at the node's weight: 0.4 · 3 = 1.2 (mergekit: its own
    // weight, else the top-level one).
    expect(taskVectorInputs(3, { weight: 0.4 })).toEqual({
      mergeMethod: 'task_arithmetic',
      baseModel: '/m/base',
      models: [{ model: '/m/A' }, { model: '/m/B', parameters: { weight: 0.4 * 3 } }],
      parameters: { weight: 0.4 },
    });
  });

  it('a per-layer weight for all models is scaled for a scaled task vector; its own weight still wins', () => {
    expect(taskVectorInputs(-2, { weight: [0, 0.5] }).models).toEqual([{ model: '/m/A' }, { model: '/m/B', parameters: { weight: [-0, -1] } }]);
    expect(taskVectorInputs(-2, { weight: 0.4 }, { tvA: { weight: 0.7 }, scale: { weight: 0.25 } }).models).toEqual([
      { model: '/m/A', parameters: { weight: 0.7 } },
      { model: '/m/B', parameters: { weight: -0.5 } },
    ]);
  });

  it('with no weight anywhere a task vector enters at its own scale (weight 1 times α), as before', () => {
    expect(taskVectorInputs(3, {}).models).toEqual([
      { model: '/m/A', parameters: { weight: 1 } },
      { model: '/m/B', parameters: { weight: 3 } },
    ]);
  });

  it('refuses a sum of task vectors into a non-linear method, on the merge node', () => {
    const g = graph();
    model(g, 'base');
    model(g, 'A');
    model(g, 'B');
    node(g, 'tvA', { kind: 'taskVector' });
    node(g, 'tvB', { kind: 'taskVector' });
    node(g, 'sum', { kind: 'add' });
    merge(g, 't', 'ties');
    output(g, 'o');
    edge(g, 'A', 'tvA', 'model');
    edge(g, 'base', 'tvA', 'base');
    edge(g, 'B', 'tvB', 'model');
    edge(g, 'base', 'tvB', 'base');
    edge(g, 'tvA', 'sum', 'taskVectors');
    edge(g, 'tvB', 'sum', 'taskVectors');
    edge(g, 'sum', 't', 'models');
    edge(g, 't', 'o', 'weights');
    const r = compileOutput(g, 'o');
    expect(r).toMatchObject({ ok: false, nodeId: 't' });
    if (!r.ok) expect(r.reason).toMatch(/only Task arithmetic can take a sum/);
  });

  it('says what is missing: base, models, output folder, a merge feeding the output', () => {
    const g = graph();
    model(g, 'x');
    merge(g, 't', 'ties');
    output(g, 'o', '');
    edge(g, 'x', 't', 'models');
    edge(g, 't', 'o', 'weights');
    expect(compileOutput(g, 'o')).toEqual({ ok: false, nodeId: 'o', reason: 'Choose an output folder.' });
    g.nodes[2] = { id: 'o', data: { kind: 'output', folder: '/o', dtype: 'bfloat16', shardSize: 1, seed: 7, overwrite: true } };
    expect(compileOutput(g, 'o')).toEqual({ ok: false, nodeId: 't', reason: 'TIES needs a base model: connect a Model to Base.' });
    const lone = graph();
    output(lone, 'o');
    expect(compileOutput(lone, 'o')).toEqual({ ok: false, nodeId: 'o', reason: 'Connect a merge node to this Output.' });
  });

  it('sets out_dtype and the seed of random methods from the Output node', () => {
    const g = graph();
    model(g, 'b');
    model(g, 'x');
    merge(g, 'd', 'dare_ties', {}, { x: { weight: 1, density: 0.4 } });
    node(g, 'o', { kind: 'output', folder: '/o', dtype: 'bfloat16', shardSize: 2, seed: 42, overwrite: true });
    edge(g, 'b', 'd', 'base');
    edge(g, 'x', 'd', 'models');
    edge(g, 'd', 'o', 'weights');
    const r = compileOutput(g, 'o');
    expect(r.ok && r.job).toMatchObject({ force: true, shardSize: 2, recipe: { outDtype: 'bfloat16', seed: 42 } });
  });
});
