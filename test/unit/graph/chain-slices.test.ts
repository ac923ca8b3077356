/**
 * Layer assembly nodes as stages of a chain (a mergekit-multi `slices:` stage): edges between merges
 * and assemblies, compiled stage recipes that name earlier stages, validation on the node concerned
 * and the barrier preview's refusals. Expectations are written by hand.
 */
import { describe, expect, it } from 'vitest';
import { compileOutput } from '../../../common/graph/compile.js';
import { stageNames } from '../../../common/graph/chain.js';
import type { LayerAssemblyNodeData } from '../../../common/graph/layer-assembly-schema.js';
import { previewRecipe, previewRefusal } from '../../../common/graph/preview-target.js';
import { validateConnection } from '../../../common/graph/validate-connection.js';
import { validateGraph, type HeaderState } from '../../../common/graph/validate-graph.js';
import type { CheckpointSummary } from '../../../common/contract/checkpoint.js';
import { edge, graph, merge, model, node, output, type G } from './build.js';

const conn = (source: string, target: string, targetHandle: string) => ({ source, sourceHandle: 'weights', target, targetHandle });
const src = (input: string, start: number, end: number) => ({ input, range: [start, end] as [number, number], params: {} });

function assembly(g: G, id: string, rows: LayerAssemblyNodeData['rows'], extra: Partial<LayerAssemblyNodeData> = {}): string {
  return node(g, id, { kind: 'layerAssembly', method: 'passthrough', params: {}, rows, ...extra });
}

/** A checkpoint's header summary with this many layers. */
const summary = (layers: number): CheckpointSummary => ({
  path: 'x',
  folder: 'x',
  architecture: 'LlamaForCausalLM',
  layerCount: layers,
  parameterCount: 1,
  dtype: 'F32',
  fileCount: 1,
  totalBytes: 1,
  tensors: [],
});
/** Model a has 3 layers; the others 4. */
const headers = (p: string): HeaderState | undefined => ({ state: 'ok', summary: summary(p === '/m/a' ? 3 : 4) });

/** mix = slerp(a, b) labelled 'mix'; stack = layers 0–1 of mix, then layers 2–3 of c; an Output. */
function mixThenStack(): G {
  const g = graph();
  model(g, 'a');
  model(g, 'b');
  model(g, 'c');
  merge(g, 'mix', 'slerp', { t: 0.3 });
  g.nodes[g.nodes.length - 1].data = { kind: 'merge', method: 'slerp', params: { t: 0.3 }, modelParams: {}, label: 'mix' };
  assembly(g, 'stack', [{ sources: [src('mix', 0, 2)], params: {} }, { sources: [src('c', 2, 4)], params: {} }]);
  output(g, 'out');
  edge(g, 'a', 'mix', 'base');
  edge(g, 'b', 'mix', 'models');
  edge(g, 'mix', 'stack', 'models');
  edge(g, 'c', 'stack', 'models');
  edge(g, 'stack', 'out', 'weights', 'weights');
  return g;
}

describe('edges between merges and Layer assemblies', () => {
  it('a merge feeds an assembly’s Models or Base; an assembly feeds a merge or another assembly', () => {
    const g = graph();
    model(g, 'a');
    merge(g, 'm', 'linear');
    assembly(g, 'asm', []);
    assembly(g, 'slerpAsm', [], { method: 'slerp' });
    merge(g, 'later', 'task_arithmetic');
    expect(validateConnection(g, conn('m', 'asm', 'models'))).toEqual({ ok: true });
    expect(validateConnection(g, conn('m', 'slerpAsm', 'base'))).toEqual({ ok: true });
    expect(validateConnection(g, conn('asm', 'later', 'models'))).toEqual({ ok: true });
    expect(validateConnection(g, conn('asm', 'later', 'base'))).toEqual({ ok: true });
    expect(validateConnection(g, conn('asm', 'slerpAsm', 'models'))).toEqual({ ok: true });
  });

  it('refuses a cycle through an assembly; a merge’s result may go into a Fisher-merging assembly (with a Fisher file for it)', () => {
    const g = mixThenStack();
    expect(validateConnection(g, conn('stack', 'mix', 'models'))).toEqual({ ok: false, reason: 'SLERP takes 1 model besides the base; remove the other edge first.' });
    merge(g, 'lin', 'linear');
    edge(g, 'stack', 'lin', 'models', 'weights');
    expect(validateConnection(g, conn('lin', 'stack', 'models'))).toEqual({ ok: false, reason: 'That edge would make a cycle.' });
    assembly(g, 'fish', [], { method: 'fisher' });
    expect(validateConnection(g, conn('mix', 'fish', 'models'))).toEqual({ ok: true });
  });
});

describe('a merge’s result into a Fisher node’s Model', () => {
  it('is accepted when the Fisher node reads a file, and refused (saying why) when it would estimate on a result not made yet', () => {
    const g = mixThenStack();
    node(g, 'fFile', { kind: 'fisher', source: 'file', file: '/f/mix.safetensors', texts: [] });
    node(g, 'fEst', { kind: 'fisher', source: 'estimate', file: '/f/mix.safetensors', texts: [] });
    expect(validateConnection(g, conn('mix', 'fFile', 'model'))).toEqual({ ok: true });
    expect(validateConnection(g, conn('mix', 'fEst', 'model'))).toEqual({
      ok: false,
      reason:
        'An earlier merge’s result exists only once its stage has run, so its Fisher cannot be estimated here: choose a Fisher file for it (Source: file), or write that merge to an Output and load its folder as a Model.',
    });
  });
});

describe('an assembly fed by a merge', () => {
  it('compiles to the merge as a named stage and a final slices recipe whose source names it', () => {
    const c = compileOutput(mixThenStack(), 'out');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.job.stages).toEqual([
      {
        mergeNodeId: 'mix',
        recipe: { name: 'mix', mergeMethod: 'slerp', baseModel: '/m/a', models: [{ model: '/m/a' }, { model: '/m/b' }], parameters: { t: 0.3 } },
        modelNodeIds: ['a', 'b'],
      },
    ]);
    expect(c.job.recipe).toEqual({
      mergeMethod: 'passthrough',
      slices: [{ sources: [{ model: 'mix', layerRange: [0, 2] }] }, { sources: [{ model: '/m/c', layerRange: [2, 4] }] }],
    });
    expect([c.job.mergeNodeId, c.job.modelNodeIds]).toEqual(['stack', ['mix', 'c']]);
  });

  it('checks a row’s range against the merge’s layer count (that of its base), on the assembly', () => {
    const g = mixThenStack();
    expect(validateGraph(g, headers).stack).toEqual({ ok: true });
    const asm = g.nodes.find((n) => n.id === 'stack')!;
    if (asm.data.kind !== 'layerAssembly') throw new Error('not an assembly');
    asm.data.rows[0].sources[0].range = [1, 4];
    asm.data.rows[1].sources[0].range = [1, 4];
    expect(validateGraph(g, headers).stack).toEqual({ ok: false, reason: 'Row 1: layers 1–4 of A, mix (SLERP) go beyond its 3 layers.' });
  });

  it('a merge whose method merges no base takes its layer count from its first model, not the donor base', () => {
    // a (the base, a config donor for linear) has 3 layers; b and c have 4 (headers).
    const g = mixThenStack();
    const mix = g.nodes.find((n) => n.id === 'mix')!;
    mix.data = { kind: 'merge', method: 'linear', params: {}, modelParams: { b: { weight: 1 } }, label: 'mix' };
    const asm = g.nodes.find((n) => n.id === 'stack')!;
    if (asm.data.kind !== 'layerAssembly') throw new Error('not an assembly');
    asm.data.rows[0].sources[0].range = [1, 4];
    expect(validateGraph(g, headers).stack).toEqual({ ok: true });
    asm.data.rows[0].sources[0].range = [1, 5];
    expect(validateGraph(g, headers).stack).toEqual({ ok: false, reason: 'Row 1: layers 1–5 of A, mix (Linear (model soup)) go beyond its 4 layers.' });
  });

  it('a cycle through an assembly (from a file) is refused on a node of it, not compiled', () => {
    const g = mixThenStack();
    merge(g, 'lin', 'linear', {}, { stack: { weight: 1 } });
    edge(g, 'stack', 'lin', 'models', 'weights');
    edge(g, 'lin', 'stack', 'models', 'weights');
    const v = validateGraph(g, () => undefined);
    expect(v.stack).toEqual({ ok: false, reason: 'These merges feed each other in a cycle: remove one of the edges.' });
  });

  it('the barrier preview refuses the assembly, and a merge it feeds, saying why', () => {
    const g = mixThenStack();
    expect(previewRefusal(g, 'stack')).toMatch(/^A Layer assembly cannot be previewed/);
    expect(previewRefusal(g, 'mix')).toBeNull();
    merge(g, 'lin', 'linear', {}, { stack: { weight: 1 }, c: { weight: 1 } });
    edge(g, 'stack', 'lin', 'models', 'weights');
    edge(g, 'c', 'lin', 'models');
    const p = previewRecipe(g, 'lin');
    expect(!p.ok && p.reason).toMatch(/fed by another merge or Layer assembly \(a chain\)/);
  });
});

describe('an assembly as an earlier stage', () => {
  /** stack (label 'frank', float16, seed 5) = layers 0–2 of a, 1–3 of b; final = linear(stack ×1, c ×3). */
  function stackThenLinear(): G {
    const g = graph();
    model(g, 'a');
    model(g, 'b');
    model(g, 'c');
    assembly(g, 'stack', [{ sources: [src('a', 0, 2)], params: {} }, { sources: [src('b', 1, 3)], params: {} }], { label: 'frank', dtype: 'float16', seed: 5 });
    merge(g, 'lin', 'linear', {}, { stack: { weight: 1 }, c: { weight: 3 } });
    output(g, 'out');
    edge(g, 'a', 'stack', 'models');
    edge(g, 'b', 'stack', 'models');
    edge(g, 'stack', 'lin', 'models', 'weights');
    edge(g, 'c', 'lin', 'models');
    edge(g, 'lin', 'out', 'weights');
    return g;
  }

  it('compiles to a named slices stage in its own dtype and seed, the final merge using its name', () => {
    const c = compileOutput(stackThenLinear(), 'out');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.job.stages).toEqual([
      {
        mergeNodeId: 'stack',
        recipe: {
          name: 'frank',
          mergeMethod: 'passthrough',
          slices: [{ sources: [{ model: '/m/a', layerRange: [0, 2] }] }, { sources: [{ model: '/m/b', layerRange: [1, 3] }] }],
          outDtype: 'float16',
          seed: 5,
        },
        modelNodeIds: ['a', 'b'],
      },
    ]);
    expect(c.job.recipe.models).toEqual([
      { model: 'frank', parameters: { weight: 1 } },
      { model: '/m/c', parameters: { weight: 3 } },
    ]);
  });

  it('its edge into a linear merge needs a weight, as a Model’s does (the merge says so)', () => {
    const g = stackThenLinear();
    const lin = g.nodes.find((n) => n.id === 'lin')!;
    if (lin.data.kind !== 'merge') throw new Error('not a merge');
    lin.data.modelParams = { c: { weight: 3 } };
    expect(validateGraph(g, () => undefined).lin).toEqual({ ok: false, reason: 'Weight of frank (Layer assembly) is required.' });
  });

  it('is named like a merge stage: its label, else its id, never a model path', () => {
    const g = stackThenLinear();
    const asm = g.nodes.find((n) => n.id === 'stack')!;
    if (asm.data.kind !== 'layerAssembly') throw new Error('not an assembly');
    asm.data.label = '/m/c';
    expect(stageNames(g).get('stack')).toBe('/m/c-2');
    delete asm.data.label;
    expect(stageNames(g).get('stack')).toBe('stack');
  });
});
