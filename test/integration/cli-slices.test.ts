/**
 * Slices recipes (frankenmerges) through the built CLI: `crucible merge` on the YAML and on the
 * graph `crucible recipe import` makes of it (a Layer assembly node) write the same bits; the
 * output layers are the rows' layers renumbered, checked against the inputs' tensors by hand, and
 * config.json counts them; the graph's output records the graph and `crucible recipe extract`
 * reopens it.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileOutput } from '../../common/graph/compile.js';
import type { LayerAssemblyNodeData } from '../../common/graph/layer-assembly-schema.js';
import type { Project } from '../../common/graph/project-schema.js';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointF32, readCheckpointRaw } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, runCli } from './cli.js';

const fr = Math.fround;
const PER_LAYER = ['input_layernorm', 'self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'post_attention_layernorm', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj'];

let dir: string;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-slices');
  a = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'a'), layers: 4, seed: 2 });
  b = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'b'), layers: 6, seed: 3 });
});
afterAll(removeTempDirs);

/** Where each output tensor comes from, written out by hand: [model, its tensor name]. */
type Origin = (name: string) => Float32Array;
const layerOf = (ck: BuiltCheckpoint, layer: number, part: string) => ck.tensors.get(`model.layers.${layer}.${part}.weight`)!;

async function mergeBoth(name: string, yaml: string): Promise<{ fromYaml: string; fromGraph: string; graph: Project }> {
  const recipe = join(dir, `${name}.yaml`);
  await writeFile(recipe, yaml);
  const fromYaml = join(dir, 'outs', `${name}-yaml`);
  const y = await runCli(['merge', recipe, '--out', fromYaml]);
  expect(y.code, y.stderr).toBe(0);
  const graphFile = join(dir, `${name}.crucible.json`);
  const imp = await runCli(['recipe', 'import', recipe, '--out', graphFile]);
  expect(imp.code, imp.stderr).toBe(0);
  const fromGraph = join(dir, 'outs', `${name}-graph`);
  const g = await runCli(['merge', graphFile, '--out', fromGraph]);
  expect(g.code, g.stderr).toBe(0);
  return { fromYaml, fromGraph, graph: JSON.parse(readFileSync(graphFile, 'utf8')) as Project };
}

async function expectBitIdentical(x: string, y: string): Promise<void> {
  const tx = await readCheckpointRaw(x);
  const ty = await readCheckpointRaw(y);
  expect([...ty.keys()].sort()).toEqual([...tx.keys()].sort());
  for (const [name, t] of tx) {
    const u = ty.get(name)!;
    expect(u.dtype, name).toBe(t.dtype);
    expect(u.shape, name).toEqual(t.shape);
    expect(Buffer.from(u.bytes).equals(Buffer.from(t.bytes)), name).toBe(true);
  }
}

async function expectTensors(out: string, layers: number, origin: Origin): Promise<void> {
  const got = await readCheckpointF32(out);
  const names = ['model.embed_tokens.weight', 'model.norm.weight', 'lm_head.weight', ...Array.from({ length: layers }, (_, i) => PER_LAYER.map((p) => `model.layers.${i}.${p}.weight`)).flat()];
  expect([...got.keys()].sort()).toEqual(names.sort());
  for (const [name, values] of got) {
    const want = origin(name);
    expect(values.length, name).toBe(want.length);
    for (let i = 0; i < want.length; i++) if (values[i] !== want[i]) throw new Error(`${out} ${name}[${i}]: ${values[i]} ≠ ${want[i]}`);
  }
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { num_hidden_layers: number };
  expect(config.num_hidden_layers).toBe(layers);
}

const PASSTHROUGH = [
  '# A 4-layer and a 6-layer model stacked into 8 layers',
  'slices:',
  '  - sources:',
  '      - model: models/a',
  '        layer_range: [0, 3]',
  '  - sources:',
  '      - model: models/b',
  '        layer_range: [2, 5]',
  '  - sources:',
  '      - model: models/a',
  '        layer_range: [3, 4]',
  '  - sources:',
  '      - model: models/b',
  '        layer_range: [5, 6]',
  'merge_method: passthrough',
  'dtype: float32',
  '',
].join('\n');

const BLEND = [
  'slices:',
  '  - sources:',
  '      - model: models/a',
  '        layer_range: [0, 2]',
  '      - model: models/b',
  '        layer_range: [1, 3]',
  '        parameters:',
  '          weight: 3',
  '  - sources:',
  '      - model: models/b',
  '        layer_range: [5, 6]',
  'merge_method: linear',
  'parameters:',
  '  weight: 1',
  '',
].join('\n');

describe('crucible merge: a slices recipe and its Layer assembly graph', () => {
  it('passthrough frankenmerge: same bits from YAML and graph; layers renumbered as the rows say; 8 layers in config.json', async () => {
    const { fromYaml, fromGraph, graph } = await mergeBoth('frank', PASSTHROUGH);
    const assembly = graph.nodes.find((n) => n.data.kind === 'layerAssembly')?.data as LayerAssemblyNodeData;
    expect(assembly.rows.map((r) => r.sources.map((s) => s.range))).toEqual([[[0, 3]], [[2, 5]], [[3, 4]], [[5, 6]]]);
    await expectBitIdentical(fromYaml, fromGraph);
    // out 0–2 ← A 0–3, out 3–5 ← B 2–5, out 6 ← A 3, out 7 ← B 5; embeddings from the first row's model, norm and lm_head from the last's.
    const source = [
      [a, 0],
      [a, 1],
      [a, 2],
      [b, 2],
      [b, 3],
      [b, 4],
      [a, 3],
      [b, 5],
    ] as const;
    await expectTensors(fromGraph, 8, (name) => {
      const m = /^model\.layers\.(\d+)\.(.+)\.weight$/.exec(name);
      if (m) {
        const [ck, layer] = source[Number(m[1])];
        return layerOf(ck, layer, m[2]);
      }
      return (name === 'model.embed_tokens.weight' ? a : b).tensors.get(name)!;
    });
  });

  it('a linear blend per row with a per-source weight: same bits from YAML and graph; ¼ A + ¾ B where both rows meet', async () => {
    const { fromYaml, fromGraph } = await mergeBoth('blend', BLEND);
    await expectBitIdentical(fromYaml, fromGraph);
    const mix = (x: Float32Array, y: Float32Array) => x.map((v, i) => fr(fr(fr(0.25) * v) + fr(fr(0.75) * y[i])));
    await expectTensors(fromGraph, 3, (name) => {
      const m = /^model\.layers\.(\d+)\.(.+)\.weight$/.exec(name);
      if (m) {
        const i = Number(m[1]);
        return i < 2 ? mix(layerOf(a, i, m[2]), layerOf(b, i + 1, m[2])) : layerOf(b, 5, m[2]);
      }
      // The first row blends the embeddings; the last row (B alone) gives norm and lm_head.
      return name === 'model.embed_tokens.weight' ? mix(a.tensors.get(name)!, b.tensors.get(name)!) : b.tensors.get(name)!;
    });
  });

  it("the graph's output records the graph; crucible recipe extract reopens it as the Layer assembly, inputs at their folders", async () => {
    const fromGraph = join(dir, 'outs', 'frank-graph');
    const recorded = JSON.parse((await openCheckpoint(fromGraph)).files[0].metadata['crucible.graph']) as Project;
    expect(recorded.nodes.find((n) => n.data.kind === 'layerAssembly')).toBeDefined();
    const graphFile = join(dir, 'reopened.json');
    const res = await runCli(['recipe', 'extract', fromGraph, '--out', graphFile]);
    expect(res.code, res.stderr).toBe(0);
    const reopened = JSON.parse(readFileSync(graphFile, 'utf8')) as Project;
    const output = reopened.nodes.find((n) => n.data.kind === 'output')!;
    const c = compileOutput(reopened, output.id);
    expect(c.ok && c.job.recipe).toEqual({
      mergeMethod: 'passthrough',
      slices: [
        { sources: [{ model: join(dir, 'models', 'a'), layerRange: [0, 3] }] },
        { sources: [{ model: join(dir, 'models', 'b'), layerRange: [2, 5] }] },
        { sources: [{ model: join(dir, 'models', 'a'), layerRange: [3, 4] }] },
        { sources: [{ model: join(dir, 'models', 'b'), layerRange: [5, 6] }] },
      ],
      // The recipe's `dtype: float32` stays its dtype key (not rewritten as out_dtype).
      dtype: 'float32',
    });
    // The YAML's output too: a slices recipe is recorded as its graph now.
    const fromYaml = JSON.parse((await openCheckpoint(join(dir, 'outs', 'frank-yaml'))).files[0].metadata['crucible.graph']) as Project;
    expect(fromYaml.nodes.filter((n) => n.data.kind === 'layerAssembly')).toHaveLength(1);
  });
});
