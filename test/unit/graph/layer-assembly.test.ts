/** Slices recipes as Layer assembly nodes: the 44-layer frankenmerge laid out, compiled back, and the rows' output numbering. */
import { describe, expect, it } from 'vitest';
import { compileOutput } from '../../../common/graph/compile.js';
import { assemblyInputs, outputLayerCount, rowPlacements, rowText } from '../../../common/graph/layer-assembly.js';
import type { LayerAssemblyNodeData } from '../../../common/graph/layer-assembly-schema.js';
import { loadProject } from '../../../common/graph/load-project.js';
import { recipeToProject } from '../../../common/graph/recipe-to-project.js';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { recipeText } from '../recipe/recipe-fixtures.js';
import { edge, graph, model, node, output, type G } from './build.js';
import { validateGraph, type HeaderState } from '../../../common/graph/validate-graph.js';
import { validateConnection } from '../../../common/graph/validate-connection.js';
import type { CheckpointSummary } from '../../../common/contract/checkpoint.js';

function imported(number: string) {
  const { text, file } = recipeText(number);
  const [recipe] = parseMergekitYaml(text, file).recipes;
  const laid = recipeToProject(recipe, { name: number, outFolder: '/out' });
  if (!laid.ok) throw new Error(laid.reason);
  return laid.project;
}

function assemblyOf(p: ReturnType<typeof imported>): { id: string; data: LayerAssemblyNodeData } {
  const n = p.nodes.find((x) => x.data.kind === 'layerAssembly');
  if (!n || n.data.kind !== 'layerAssembly') throw new Error('no Layer assembly node');
  return { id: n.id, data: n.data };
}

function letters(p: ReturnType<typeof imported>, id: string): Map<string, string> {
  return new Map(assemblyInputs(p, id).map((i) => [i.id, i.letter]));
}

describe('the 44-layer frankenmerge (mergekit example orcamini-platy-44layer)', () => {
  const p = imported('003');
  const a = assemblyOf(p);

  it('is two Model nodes wired once each into a Layer assembly with one row per slice, then an Output', () => {
    expect(p.nodes.map((n) => n.data.kind).sort()).toEqual(['layerAssembly', 'model', 'model', 'output']);
    const path = (id: string) => {
      const n = p.nodes.find((x) => x.id === id);
      return n?.data.kind === 'model' ? n.data.path : undefined;
    };
    const inputs = assemblyInputs(p, a.id);
    expect(inputs.map((i) => [i.letter, path(i.id), i.handle])).toEqual([
      ['A', 'psmathur/orca_mini_v3_13b', 'models'],
      ['B', 'garage-bAInd/Platypus2-13B', 'models'],
    ]);
    expect(a.data.method).toBe('passthrough');
    expect(a.data.rows).toEqual([
      { sources: [{ input: inputs[0].id, range: [0, 24], params: {} }], params: {} },
      { sources: [{ input: inputs[1].id, range: [20, 40], params: {} }], params: {} },
    ]);
    const out = p.nodes.find((n) => n.data.kind === 'output');
    expect(out?.data).toMatchObject({ kind: 'output', dtype: 'float16', folder: '/out' });
    expect(p.edges.filter((e) => e.target === out?.id).map((e) => e.source)).toEqual([a.id]);
  });

  it('shows each row with the output layers it fills: 24 + 20 = 44 layers', () => {
    const placed = rowPlacements(a.data.rows);
    expect(placed.map((r) => r.out)).toEqual([
      [0, 24],
      [24, 44],
    ]);
    expect(a.data.rows.map((r, i) => rowText(r, placed[i], letters(p, a.id)))).toEqual(['out 0–23 ← A 0–24', 'out 24–43 ← B 20–40']);
    expect(outputLayerCount(a.data.rows)).toBe(44);
  });

  it('compiles to the slices recipe the YAML says, and the project file validates', () => {
    const c = compileOutput(p, 'output-1');
    expect(c.ok && c.job.recipe).toEqual({
      mergeMethod: 'passthrough',
      slices: [
        { sources: [{ model: 'psmathur/orca_mini_v3_13b', layerRange: [0, 24] }] },
        { sources: [{ model: 'garage-bAInd/Platypus2-13B', layerRange: [20, 40] }] },
      ],
      // The recipe's `dtype: float16`, kept as its dtype key (not rewritten as out_dtype).
      dtype: 'float16',
    });
    expect(c.ok && c.job.mergeNodeId).toBe(a.id);
    expect(loadProject(JSON.parse(JSON.stringify(p)), 'p.json')).toEqual({ ok: true, project: p, migratedFrom: null });
  });
});

describe('slices recipes with merges, bases and parameters', () => {
  it('gradient SLERP (002): the base is wired to Base and named by the row like any input; t stays on the node', () => {
    const p = imported('002');
    const a = assemblyOf(p);
    const inputs = assemblyInputs(p, a.id);
    expect(inputs.map((i) => i.handle)).toEqual(['base', 'models']);
    expect(a.data.rows).toEqual([
      {
        sources: [
          { input: inputs[0].id, range: [0, 40], params: {} },
          { input: inputs[1].id, range: [0, 40], params: {} },
        ],
        params: {},
      },
    ]);
    expect(a.data.params.t).toEqual([{ filter: 'self_attn', value: [0, 0.5, 0.3, 0.7, 1] }, { filter: 'mlp', value: [1, 0.5, 0.7, 0.3, 0] }, { value: 0.5 }]);
    expect(rowText(a.data.rows[0], rowPlacements(a.data.rows)[0], letters(p, a.id))).toBe('out 0–39 ← A 0–40 + B 0–40');
    const c = compileOutput(p, 'output-1');
    expect(c.ok && c.job.recipe.baseModel).toBe('psmathur/orca_mini_v3_13b');
  });

  it('the TheProfessor linear frankenmerge (057): per-source weight 0 in the first and last rows, one Model node per model', () => {
    const p = imported('057');
    const a = assemblyOf(p);
    expect(p.nodes.filter((n) => n.data.kind === 'model')).toHaveLength(4);
    expect(a.data.rows).toHaveLength(11);
    expect(a.data.rows[0].sources.map((s) => s.params)).toEqual([{}, { weight: 0 }]);
    expect(a.data.rows[10].sources.map((s) => s.range)).toEqual([
      [79, 80],
      [79, 80],
    ]);
    expect(a.data.params).toEqual({ weight: 1 });
    // 1 + 19 + 20·7 + 19 + 1 layers.
    expect(outputLayerCount(a.data.rows)).toBe(180);
  });
});

describe('model+lora sources', () => {
  it('become a LoRA node over its Model node, wired into the assembly; a base with an adapter too; compiled back to the same references', () => {
    const recipe = {
      mergeMethod: 'task_arithmetic' as const,
      baseModel: 'org/base+org/base-lora',
      slices: [
        {
          sources: [
            { model: 'org/base', lora: 'org/base-lora', layerRange: [0, 2] as [number, number] },
            { model: 'org/tuned', lora: 'org/tuned-lora', layerRange: [0, 2] as [number, number], parameters: { weight: 0.5 } },
          ],
        },
        { sources: [{ model: 'org/base', lora: 'org/base-lora', layerRange: [2, 4] as [number, number] }] },
      ],
    };
    const laid = recipeToProject(recipe, { name: 'l', outFolder: '/out' });
    expect(laid.ok).toBe(true);
    if (!laid.ok) return;
    const p = laid.project;
    const loras = p.nodes.filter((n) => n.data.kind === 'lora');
    expect(loras.map((n) => n.data)).toEqual([
      { kind: 'lora', adapter: 'org/base-lora', mode: 'model' },
      { kind: 'lora', adapter: 'org/tuned-lora', mode: 'model' },
    ]);
    const a = assemblyOf(p);
    expect(assemblyInputs(p, a.id).map((i) => [i.id, i.handle])).toEqual([
      [loras[0].id, 'base'],
      [loras[1].id, 'models'],
    ]);
    const c = compileOutput(p, 'output-1');
    expect(c.ok && c.job.recipe).toEqual(recipe);
  });
});

describe('Fisher merging per slice', () => {
  const recipe = {
    mergeMethod: 'fisher' as const,
    slices: [
      {
        sources: [
          { model: '/m/a', layerRange: [0, 2] as [number, number], fisher: '/f/a.safetensors' },
          { model: '/m/b', layerRange: [1, 3] as [number, number], fisher: '/f/b.safetensors' },
        ],
      },
      { sources: [{ model: '/m/b', layerRange: [3, 4] as [number, number], fisher: '/f/b.safetensors' }] },
    ],
  };

  it('each model gets a Fisher node reading its file, wired into the assembly; compiled back to the same files per source', () => {
    const laid = recipeToProject(recipe, { name: 'f', outFolder: '/out' });
    expect(laid.ok).toBe(true);
    if (!laid.ok) return;
    const p = laid.project;
    const fishers = p.nodes.filter((n) => n.data.kind === 'fisher');
    expect(fishers.map((n) => n.data)).toEqual([
      { kind: 'fisher', source: 'file', file: '/f/a.safetensors', texts: [] },
      { kind: 'fisher', source: 'file', file: '/f/b.safetensors', texts: [] },
    ]);
    const a = assemblyOf(p);
    expect(p.edges.filter((e) => e.target === a.id && e.targetHandle === 'fishers').map((e) => e.source)).toEqual(fishers.map((n) => n.id));
    const c = compileOutput(p, 'output-1');
    expect(c.ok && c.job.recipe).toEqual(recipe);
    // Without the Fisher node of model b, the node says what is missing.
    const without = { ...p, edges: p.edges.filter((e) => e.source !== fishers[1].id) };
    expect(compileOutput(without, 'output-1')).toMatchObject({ ok: false, nodeId: a.id, reason: expect.stringMatching(/^No Fisher information for b/) });
  });

  it('a model named with two different Fisher files cannot be one Fisher node: refused with the reason', () => {
    const two = { ...recipe, slices: [recipe.slices[0], { sources: [{ model: '/m/b', layerRange: [3, 4] as [number, number], fisher: '/f/other.safetensors' }] }] };
    expect(recipeToProject(two, { name: 'f', outFolder: '/out' })).toEqual({
      ok: false,
      reason: "'/m/b' names two Fisher files (/f/b.safetensors, /f/other.safetensors): a graph pairs one Fisher node with each model.",
    });
  });
});

describe('building a Layer assembly by hand', () => {
  it('compiles rows over a base and a LoRA-adapted model, with per-row and per-source parameters', () => {
    const g = graph();
    model(g, 'a', '/m/a');
    model(g, 'b', '/m/b');
    node(g, 'l', { kind: 'lora', adapter: '/adapters/x', mode: 'model' });
    node(g, 'asm', {
      kind: 'layerAssembly',
      method: 'ties',
      params: { lambda: 0.5, bogus: 1 },
      rows: [
        { sources: [{ input: 'a', range: [0, 4], params: {} }, { input: 'l', range: [4, 8], params: { weight: 2, lambda: 0.1 } }], params: { density: [0.2, 1] } },
        { sources: [{ input: 'a', range: [2, 3], params: {} }, { input: 'b', range: [2, 3], params: { weight: 1 } }], params: {} },
      ],
    });
    output(g, 'o');
    edge(g, 'b', 'l', 'base');
    edge(g, 'a', 'asm', 'base');
    edge(g, 'l', 'asm', 'models', 'weights');
    edge(g, 'b', 'asm', 'models');
    edge(g, 'asm', 'o', 'weights', 'weights');
    const c = compileOutput(g, 'o');
    expect(c.ok && c.job.modelNodeIds).toEqual(['a', 'l', 'b']);
    expect(c.ok && c.job.recipe).toEqual({
      mergeMethod: 'ties',
      baseModel: '/m/a',
      slices: [
        {
          sources: [
            { model: '/m/a', layerRange: [0, 4] },
            // lambda is a global parameter of TIES: read per slice or for all, never per source.
            { model: '/m/b', lora: '/adapters/x', layerRange: [4, 8], parameters: { weight: 2 } },
          ],
          // density is per model, and may be set for a whole slice.
          parameters: { density: [0.2, 1] },
        },
        { sources: [{ model: '/m/a', layerRange: [2, 3] }, { model: '/m/b', layerRange: [2, 3], parameters: { weight: 1 } }] },
      ],
      parameters: { lambda: 0.5 },
    });
  });

  it('refuses, on the node, no rows, a source without a model, an unwired model and an empty range', () => {
    const make = (rows: LayerAssemblyNodeData['rows']) => {
      const g = graph();
      model(g, 'a');
      model(g, 'stray');
      node(g, 'asm', { kind: 'layerAssembly', method: 'passthrough', params: {}, rows });
      output(g, 'o');
      edge(g, 'a', 'asm', 'models');
      edge(g, 'asm', 'o', 'weights', 'weights');
      return compileOutput(g, 'o');
    };
    expect(make([])).toEqual({ ok: false, nodeId: 'asm', reason: 'Add a row: each row is a slice of layers taken from the models wired in.' });
    expect(make([{ sources: [], params: {} }])).toEqual({ ok: false, nodeId: 'asm', reason: 'The row has no source: add one, or remove the row.' });
    expect(make([{ sources: [{ input: 'a', range: [0, 2], params: {} }], params: {} }, { sources: [{ input: '', range: [0, 2], params: {} }], params: {} }])).toMatchObject({
      ok: false,
      reason: 'Row 2: choose the model a source takes its layers from.',
    });
    expect(make([{ sources: [{ input: 'stray', range: [0, 2], params: {} }], params: {} }])).toMatchObject({ ok: false, reason: expect.stringMatching(/not wired into this node/) });
    expect(make([{ sources: [{ input: 'a', range: [3, 3], params: {} }], params: {} }])).toMatchObject({ ok: false, reason: expect.stringMatching(/layer range 3–3 is empty/) });
  });
});

function summary(path: string, layers: number, hidden = 8): CheckpointSummary {
  const tensors: CheckpointSummary['tensors'] = [{ name: 'model.embed_tokens.weight', shape: [256, hidden], dtype: 'F32', layer: null, group: 'embedding' }];
  for (let i = 0; i < layers; i++) tensors.push({ name: `model.layers.${i}.mlp.up_proj.weight`, shape: [2 * hidden, hidden], dtype: 'F32', layer: i, group: 'mlp' });
  return { path, folder: path, architecture: 'LlamaForCausalLM', layerCount: layers, parameterCount: 1, dtype: 'F32', fileCount: 1, totalBytes: 1, tensors };
}

describe('validation of a Layer assembly, on the node', () => {
  const known: Record<string, CheckpointSummary> = { '/m/a': summary('/m/a', 4), '/m/b': summary('/m/b', 6), '/m/wide': summary('/m/wide', 4, 16) };
  const headers = (p: string): HeaderState | undefined => (known[p] ? { state: 'ok', summary: known[p] } : undefined);
  const assembly = (data: Partial<LayerAssemblyNodeData>, wire: { base?: string; models: string[] } = { models: ['a', 'b'] }): G => {
    const g = graph();
    model(g, 'a', '/m/a');
    model(g, 'b', '/m/b');
    model(g, 'wide', '/m/wide');
    node(g, 'asm', { kind: 'layerAssembly', method: 'passthrough', params: {}, rows: [], ...data });
    output(g, 'o');
    if (wire.base) edge(g, wire.base, 'asm', 'base');
    for (const m of wire.models) edge(g, m, 'asm', 'models');
    edge(g, 'asm', 'o', 'weights', 'weights');
    return g;
  };
  const row = (...sources: [string, number, number][]) => ({ sources: sources.map(([input, s, e]) => ({ input, range: [s, e] as [number, number], params: {} })), params: {} });
  const reason = (g: G): string | null => {
    const v = validateGraph(g, headers).asm;
    return v.ok ? null : v.reason;
  };

  it('a frankenmerge within both models is valid (6 output layers from 4- and 6-layer models)', () => {
    expect(reason(assembly({ rows: [row(['a', 0, 3]), row(['b', 2, 5])] }))).toBeNull();
  });

  it('a range beyond the connected model’s layer count, named with the row and the model', () => {
    expect(reason(assembly({ rows: [row(['a', 0, 3]), row(['a', 2, 5])] }))).toBe('Row 2: layers 2–5 of A, Model a go beyond its 4 layers.');
    // The 6-layer model takes it.
    expect(reason(assembly({ rows: [row(['a', 0, 3]), row(['b', 2, 6])] }))).toBeNull();
  });

  it('an empty range and a missing source', () => {
    expect(reason(assembly({ rows: [row(['a', 2, 2])] }))).toMatch(/^The row: the layer range 2–2 is empty/);
    expect(reason(assembly({ rows: [row(['a', 0, 2]), { sources: [], params: {} }] }))).toBe('Row 2 has no source: add one, or remove the row.');
  });

  it('passthrough takes one source per row; blending rows need as many layers in each source', () => {
    expect(reason(assembly({ rows: [row(['a', 0, 2], ['b', 0, 2])] }))).toMatch(/^The row has 2 sources: Passthrough copies one source per row/);
    expect(reason(assembly({ method: 'linear', params: { weight: 1 }, rows: [row(['a', 0, 2], ['b', 0, 3])] }))).toBe(
      'The row: its sources must have the same number of layers (A, Model a: 2; B, Model b: 3).',
    );
    expect(reason(assembly({ method: 'linear', params: { weight: 1 }, rows: [row(['a', 0, 2], ['b', 1, 3])] }))).toBeNull();
  });

  it('a method with a base: the base is wired and is one of each row’s sources; required parameters are asked for', () => {
    const slerp = (rows: LayerAssemblyNodeData['rows'], params = { t: 0.5 }) => assembly({ method: 'slerp', params, rows }, { base: 'a', models: ['b'] });
    expect(reason(slerp([row(['a', 0, 4], ['b', 0, 4])]))).toBeNull();
    expect(reason(slerp([row(['a', 0, 4], ['b', 0, 4]), row(['b', 4, 6])]))).toBe("Row 2: the base (A, Model a) must be one of the row's sources (mergekit's rule for slices).");
    expect(reason(assembly({ method: 'slerp', params: { t: 0.5 }, rows: [row(['a', 0, 4], ['b', 0, 4])] }))).toBe('SLERP needs a base model: connect a Model to Base.');
    expect(reason(assembly({ method: 'linear', rows: [row(['a', 0, 2], ['b', 0, 2])] }))).toBe('The row: Weight of A, Model a is required.');
  });

  it('models whose tensors differ in shape cannot be stacked', () => {
    expect(reason(assembly({ rows: [row(['a', 0, 2]), row(['wide', 0, 2])] }, { models: ['a', 'wide'] }))).toBe(
      'Shapes differ between rows: model.embed_tokens.weight is [256, 8] in A, Model a, [256, 16] in B, Model wide.',
    );
  });

  it('a Layer assembly feeds an Output, a merge or another assembly (a chain), not a task vector node', () => {
    const g = assembly({ rows: [row(['a', 0, 2])] });
    node(g, 'm2', { kind: 'merge', method: 'linear', params: {}, modelParams: {} });
    expect(validateConnection(g, { source: 'asm', sourceHandle: 'weights', target: 'm2', targetHandle: 'models' })).toEqual({ ok: true });
    node(g, 'tv', { kind: 'taskVector' });
    expect(validateConnection(g, { source: 'asm', sourceHandle: 'weights', target: 'tv', targetHandle: 'model' })).toEqual({
      ok: false,
      reason: 'A Layer assembly’s result goes into a merge or Layer assembly (Models or Base), a Fisher node’s Model or an Output, not into Task vector: write it to an Output and load that folder as a Model.',
    });
  });
});
