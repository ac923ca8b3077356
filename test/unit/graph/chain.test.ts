/** Chains of merge nodes: compiled as named stages (mergekit-multi), validated on the node concerned. */
import { describe, expect, it } from 'vitest';
import { compileOutput } from '../../../common/graph/compile.js';
import { stageNames } from '../../../common/graph/chain.js';
import { validateGraph } from '../../../common/graph/validate-graph.js';
import { previewRecipe } from '../../../common/graph/preview-target.js';
import { edge, graph, merge, model, node, output } from './build.js';

const noHeaders = () => undefined;

/** soup = linear(a, b); final = task_arithmetic over base of soup and c. */
function chain() {
  const g = graph();
  model(g, 'a');
  model(g, 'b');
  model(g, 'c');
  model(g, 'base');
  merge(g, 'soup', 'linear', {}, { a: { weight: 1 }, b: { weight: 3 } });
  merge(g, 'final', 'task_arithmetic', {}, { soup: { weight: 0.5 }, c: { weight: 0.25 } });
  output(g, 'out');
  edge(g, 'a', 'soup', 'models');
  edge(g, 'b', 'soup', 'models');
  edge(g, 'base', 'final', 'base');
  edge(g, 'soup', 'final', 'models');
  edge(g, 'c', 'final', 'models');
  edge(g, 'final', 'out', 'weights');
  return g;
}

describe('chains of merges', () => {
  it('compile to the earlier merge as a named stage, used as a model by the final recipe', () => {
    const c = compileOutput(chain(), 'out');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.job.stages).toEqual([
      {
        mergeNodeId: 'soup',
        recipe: { name: 'soup', mergeMethod: 'linear', models: [{ model: '/m/a', parameters: { weight: 1 } }, { model: '/m/b', parameters: { weight: 3 } }] },
        modelNodeIds: ['a', 'b'],
      },
    ]);
    expect(c.job.recipe).toEqual({
      mergeMethod: 'task_arithmetic',
      baseModel: '/m/base',
      models: [
        { model: 'soup', parameters: { weight: 0.5 } },
        { model: '/m/c', parameters: { weight: 0.25 } },
      ],
    });
    expect(c.job.mergeNodeId).toBe('final');
  });

  it('a single merge has no stages', () => {
    const g = chain();
    g.edges = g.edges.filter((e) => e.source !== 'soup');
    const c = compileOutput(g, 'out');
    expect(c.ok && c.job.stages).toBe(undefined);
  });

  it('stages are named by their label, else their id; never like a model path or another stage; + is replaced', () => {
    const g = chain();
    (g.nodes.find((n) => n.id === 'soup')!.data as { label?: string }).label = ' /m/a ';
    merge(g, 'other', 'linear');
    (g.nodes.find((n) => n.id === 'other')!.data as { label?: string }).label = '/m/a';
    merge(g, 'plus', 'linear');
    (g.nodes.find((n) => n.id === 'plus')!.data as { label?: string }).label = 'x+y';
    expect([...stageNames(g)]).toEqual([
      ['soup', '/m/a-2'],
      ['final', 'final'],
      ['other', '/m/a-3'],
      ['plus', 'x-y'],
    ]);
    const c = compileOutput(g, 'out');
    expect(c.ok && c.job.recipe.models?.[0].model).toBe('/m/a-2');
    expect(c.ok && c.job.stages?.[0].recipe.name).toBe('/m/a-2');
  });

  it('a three-stage chain runs each stage after those it reads; a stage read twice runs once; merges can feed Base', () => {
    const g = chain();
    merge(g, 'top', 'linear', {}, { final: { weight: 1 }, soup: { weight: 1 } });
    edge(g, 'final', 'top', 'models');
    edge(g, 'soup', 'top', 'models');
    merge(g, 'ta', 'task_arithmetic', {}, { c: { weight: 1 } });
    edge(g, 'top', 'ta', 'base');
    edge(g, 'c', 'ta', 'models');
    output(g, 'out2');
    edge(g, 'ta', 'out2', 'weights');
    const c = compileOutput(g, 'out2');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.job.stages?.map((s) => s.recipe.name)).toEqual(['soup', 'final', 'top']);
    expect(c.job.recipe.baseModel).toBe('top');
    expect(c.job.stages?.[2].recipe.models?.map((m) => m.model)).toEqual(['final', 'soup']);
  });

  it('random stages take the Output seed; the final merge of a labelled node keeps its name', () => {
    const g = chain();
    (g.nodes.find((n) => n.id === 'soup')!.data as { method: string }).method = 'dare_linear';
    (g.nodes.find((n) => n.id === 'final')!.data as { label?: string }).label = 'result';
    (g.nodes.find((n) => n.id === 'out')!.data as { seed: number }).seed = 7;
    g.edges.push({ id: 'sb', source: 'base', sourceHandle: 'weights', target: 'soup', targetHandle: 'base' });
    const c = compileOutput(g, 'out');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.job.stages?.[0].recipe.seed).toBe(7);
    expect(c.job.recipe.name).toBe('result');
  });

  it('a cycle (from a file: the editor refuses the edge) is shown on a merge in it, and nothing compiles', () => {
    const g = chain();
    g.edges.push({ id: 'back', source: 'final', sourceHandle: 'weights', target: 'soup', targetHandle: 'models' });
    const v = validateGraph(g, noHeaders);
    expect(v.soup).toEqual({ ok: false, reason: 'These merges feed each other in a cycle: remove one of the edges.' });
    expect(v.final.ok).toBe(false);
    const c = compileOutput(g, 'out');
    expect(c.ok).toBe(false);
  });

  it('a problem in an earlier stage is reported on that stage’s node', () => {
    const g = chain();
    g.edges = g.edges.filter((e) => !(e.source === 'b' && e.target === 'soup'));
    g.edges = g.edges.filter((e) => !(e.source === 'a' && e.target === 'soup'));
    const c = compileOutput(g, 'out');
    expect(c.ok).toBe(false);
    expect(!c.ok && c.nodeId).toBe('soup');
    expect(validateGraph(g, noHeaders).soup.ok).toBe(false);
  });

  it('a LoRA node in model mode can be a base (written model+lora) and a model', () => {
    const g = graph();
    model(g, 'm');
    node(g, 'l', { kind: 'lora', adapter: '/ad/x', mode: 'model' });
    edge(g, 'm', 'l', 'base');
    model(g, 'b');
    merge(g, 't', 'task_arithmetic', {}, { b: { weight: 1 } });
    g.edges.push({ id: 'lb', source: 'l', sourceHandle: 'weights', target: 't', targetHandle: 'base' });
    edge(g, 'b', 't', 'models');
    output(g, 'o');
    edge(g, 't', 'o', 'weights');
    const c = compileOutput(g, 'o');
    expect(c.ok && c.job.recipe.baseModel).toBe('/m/m+/ad/x');
  });

  it('a merge fed by another merge cannot be previewed (its inputs are not on disk); the earlier merge can', () => {
    const g = chain();
    const p = previewRecipe(g, 'final');
    expect(p.ok).toBe(false);
    expect(!p.ok && p.reason).toMatch(/fed by another merge/);
    expect(previewRecipe(g, 'soup').ok).toBe(true);
  });
});
