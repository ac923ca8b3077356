/** Issue 6's nodes in the graph: typed handles (Fisher only into Fisher), compilation to engine calls, stage order, validity, the project file. */
import { describe, expect, it } from 'vitest';
import { compileOutput } from '../../../common/graph/compile.js';
import { loadProject } from '../../../common/graph/load-project.js';
import { upstreamStages } from '../../../common/graph/stages.js';
import { validateConnection } from '../../../common/graph/validate-connection.js';
import { validateGraph } from '../../../common/graph/validate-graph.js';
import { edge, graph, merge, model, node, output } from './build.js';

const c = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({ source, sourceHandle, target, targetHandle });
const fisherNode = (file: string) => ({ kind: 'fisher' as const, source: 'estimate' as const, file, texts: [{ kind: 'bundled' as const, name: 'prose.txt' }] });

function fisherGraph() {
  const g = graph();
  model(g, 'a');
  model(g, 'b');
  node(g, 'fa', fisherNode('/f/a.safetensors'));
  node(g, 'fb', { kind: 'fisher', source: 'file', file: '/f/b.safetensors', texts: [] });
  merge(g, 'm', 'fisher', {}, { a: { weight: 2 } });
  output(g, 'o');
  edge(g, 'a', 'fa', 'model');
  edge(g, 'b', 'fb', 'model');
  edge(g, 'a', 'm', 'models');
  edge(g, 'b', 'm', 'models');
  edge(g, 'fb', 'm', 'fishers', 'fisher');
  edge(g, 'fa', 'm', 'fishers', 'fisher');
  edge(g, 'm', 'o', 'weights');
  return g;
}

describe('typed handles of the new nodes', () => {
  it('a Fisher output connects only to a Fisher input, and only weights reach a Fisher input never', () => {
    const g = graph();
    model(g, 'a');
    node(g, 'f', fisherNode('/f'));
    merge(g, 'fm', 'fisher');
    merge(g, 't', 'ties');
    expect(validateConnection(g, c('f', 'fisher', 'fm', 'fishers'))).toEqual({ ok: true });
    expect(validateConnection(g, c('f', 'fisher', 'fm', 'models'))).toEqual({ ok: false, reason: 'Fisher gives Fisher information; Models of Fisher merging takes weights.' });
    expect(validateConnection(g, c('f', 'fisher', 't', 'models')).ok).toBe(false);
    expect(validateConnection(g, c('a', 'weights', 'fm', 'fishers'))).toEqual({ ok: false, reason: 'Model a gives weights; Fisher information of Fisher merging takes Fisher information.' });
    // Only Fisher merging has the input.
    expect(validateConnection(g, c('f', 'fisher', 't', 'fishers'))).toEqual({ ok: false, reason: "TIES has no input 'fishers'." });
  });

  it('a LoRA node gives weights or a task vector as its mode says', () => {
    const g = graph();
    model(g, 'base');
    node(g, 'l', { kind: 'lora', adapter: '/ad', mode: 'taskVector' });
    merge(g, 'lin', 'linear');
    merge(g, 'ta', 'task_arithmetic');
    node(g, 'add', { kind: 'add' });
    expect(validateConnection(g, c('l', 'taskVector', 'ta', 'models')).ok).toBe(true);
    expect(validateConnection(g, c('l', 'taskVector', 'lin', 'models')).ok).toBe(false);
    expect(validateConnection(g, c('l', 'taskVector', 'add', 'taskVectors')).ok).toBe(false);
    g.nodes[1].data = { kind: 'lora', adapter: '/ad', mode: 'model' };
    expect(validateConnection(g, c('l', 'weights', 'lin', 'models')).ok).toBe(true);
  });
});

describe('compilation to engine calls', () => {
  it('Fisher merging pairs each model with the Fisher node on that model, whatever the edge order', () => {
    const r = compileOutput(fisherGraph(), 'o');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.job.recipe).toEqual({
      mergeMethod: 'fisher',
      models: [
        { model: '/m/a', parameters: { weight: 2 }, fisher: '/f/a.safetensors' },
        { model: '/m/b', fisher: '/f/b.safetensors' },
      ],
    });
  });

  it('a model without its Fisher is refused on the merge, naming it', () => {
    const g = fisherGraph();
    g.edges = g.edges.filter((e) => e.source !== 'fb');
    expect(compileOutput(g, 'o')).toEqual({ ok: false, nodeId: 'm', reason: 'No Fisher information for b: connect a Fisher node on that model to Fisher information.' });
  });

  it('an Align node stands for its folder; a LoRA node for base + adapter (as a model) or over the merge base (as a task vector)', () => {
    const g = graph();
    model(g, 'base');
    model(g, 'a');
    model(g, 'b');
    node(g, 'al', { kind: 'align', folder: '/aligned-b', seed: 3, maxSweeps: 10 });
    node(g, 'lm', { kind: 'lora', adapter: '/ad1', mode: 'model' });
    merge(g, 'lin', 'linear', {}, { a: { weight: 1 }, al: { weight: 1 }, lm: { weight: 1 } });
    output(g, 'o');
    edge(g, 'a', 'al', 'reference');
    edge(g, 'b', 'al', 'model');
    edge(g, 'base', 'lm', 'base');
    edge(g, 'a', 'lin', 'models');
    edge(g, 'al', 'lin', 'models');
    edge(g, 'lm', 'lin', 'models');
    edge(g, 'lin', 'o', 'weights');
    const r = compileOutput(g, 'o');
    expect(r.ok && r.job.recipe.models).toEqual([
      { model: '/m/a', parameters: { weight: 1 } },
      { model: '/aligned-b', parameters: { weight: 1 } },
      { model: '/m/base', lora: '/ad1', parameters: { weight: 1 } },
    ]);
    expect(upstreamStages(g, 'lin')).toEqual({ ok: true, stages: [{ kind: 'align', nodeId: 'al', reference: '/m/a', model: '/m/b', out: '/aligned-b', seed: 3, maxSweeps: 10 }] });

    const t = graph();
    model(t, 'base');
    node(t, 'lt', { kind: 'lora', adapter: '/ad2', mode: 'taskVector' });
    merge(t, 'ta', 'task_arithmetic', {}, { lt: { weight: 0.5 } });
    output(t, 'o');
    edge(t, 'base', 'lt', 'base');
    edge(t, 'lt', 'ta', 'models', 'taskVector');
    edge(t, 'ta', 'o', 'weights');
    const rt = compileOutput(t, 'o');
    expect(rt.ok && rt.job.recipe).toEqual({ mergeMethod: 'task_arithmetic', baseModel: '/m/base', models: [{ model: '/m/base', lora: '/ad2', parameters: { weight: 0.5 } }] });
  });

  it('stages come inputs first: an alignment feeding a Fisher estimate feeding a Fisher merge', () => {
    const g = fisherGraph();
    node(g, 'al', { kind: 'align', folder: '/al', seed: 0, maxSweeps: 5 });
    edge(g, 'a', 'al', 'reference');
    edge(g, 'b', 'al', 'model');
    g.edges = g.edges.filter((e) => !(e.source === 'b' && e.target === 'fb') && !(e.source === 'b' && e.target === 'm'));
    edge(g, 'al', 'fb', 'model');
    edge(g, 'al', 'm', 'models');
    g.nodes.find((n) => n.id === 'fb')!.data = fisherNode('/f/b.safetensors');
    const s = upstreamStages(g, 'm');
    const order = s.ok ? s.stages.map((x) => `${x.kind}:${x.nodeId}`) : [];
    expect([...order].sort()).toEqual(['align:al', 'fisherEstimate:fa', 'fisherEstimate:fb']);
    expect(order.indexOf('align:al')).toBeLessThan(order.indexOf('fisherEstimate:fb'));
    expect(compileOutput(g, 'o').ok).toBe(true);
  });

  it('the new nodes say what they miss', () => {
    const g = graph();
    node(g, 'al', { kind: 'align', folder: '', seed: 0, maxSweeps: 5 });
    node(g, 'f', fisherNode(''));
    node(g, 'l', { kind: 'lora', adapter: '', mode: 'model' });
    const v = validateGraph(g, () => undefined);
    expect(v.al).toEqual({ ok: false, reason: 'Connect a model to Reference (A).' });
    expect(v.f).toEqual({ ok: false, reason: 'Connect a model to Model.' });
    expect(v.l).toEqual({ ok: false, reason: 'Choose the LoRA adapter folder.' });
  });
});

describe('project file', () => {
  it('a version-2 file with the new node kinds loads and round-trips; an unknown field on them is refused', () => {
    const g = fisherGraph();
    node(g, 'al', { kind: 'align', folder: 'aligned', seed: 1, maxSweeps: 7 });
    node(g, 'l', { kind: 'lora', adapter: 'adapters/x', mode: 'taskVector' });
    const p = { format: 'crucible-project', version: 2, name: 'x', nodes: g.nodes.map((n, i) => ({ ...n, position: { x: i, y: 0 } })), edges: g.edges };
    const r = loadProject(JSON.parse(JSON.stringify(p)), 'x.json');
    expect(r.ok).toBe(true);
    const bad = { ...p, nodes: [...p.nodes, { id: 'z', position: { x: 0, y: 0 }, data: { kind: 'lora', adapter: '', mode: 'model', rank: 4 } }] };
    expect(loadProject(bad, 'x.json').ok).toBe(false);
  });
});
