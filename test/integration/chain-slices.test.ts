/**
 * mergekit-multi chains with a `slices:` stage, end to end through the built CLI as a user runs
 * them: `crucible merge` on the YAML, `crucible recipe import` making a graph of it (a merge node
 * wired into a Layer assembly, or an assembly into a merge), `crucible merge` on that graph (the
 * same bits), `crucible recipe export` back to YAML (the same bits again) and `crucible verify`.
 * Every output tensor is checked against values computed here from the inputs: the linear stage by
 * its formula in float32 per operation, the assembly's layers by the rows' renumbering. Runs the
 * built code (dist/).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../common/graph/project-schema.js';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointF32, readCheckpointRaw } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, jsonLines, runCli } from './cli.js';
import { runJobToEnd, stageEvents, withRealService } from './real-service.js';

const fr = Math.fround;
const PER_LAYER = ['input_layernorm', 'self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'post_attention_layernorm', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj'];

let dir: string;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;
let c: BuiltCheckpoint;
let d: BuiltCheckpoint;

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('chain-slices');
  a = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'a'), layers: 4, seed: 21 });
  b = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'b'), layers: 4, seed: 22 });
  c = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'c'), layers: 4, seed: 23 });
  d = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'd'), layers: 6, seed: 24 });
  await mkdir(join(dir, 'outs'));
});
afterAll(removeTempDirs);

/** ¼·x + ¾·y in float32 per operation: linear with weights 1 and 3 (normalized to ¼, ¾). */
const quarter = (x: Float32Array, y: Float32Array): Float32Array => x.map((v, i) => fr(fr(fr(0.25) * v) + fr(fr(0.75) * y[i])));
const tensor = (ck: BuiltCheckpoint, name: string): Float32Array => ck.tensors.get(name)!;
const layerName = (layer: number, part: string) => `model.layers.${layer}.${part}.weight`;

async function sameBits(x: string, y: string): Promise<void> {
  const rx = await readCheckpointRaw(x);
  const ry = await readCheckpointRaw(y);
  expect([...ry.keys()].sort()).toEqual([...rx.keys()].sort());
  for (const [name, t] of rx) expect(Buffer.from(ry.get(name)!.bytes).equals(Buffer.from(t.bytes)), `${name}: ${x} vs ${y}`).toBe(true);
}

/** Every tensor of `out` equals `want(name)` exactly, and config.json counts `layers` layers. */
async function expectTensors(out: string, layers: number, want: (name: string) => Float32Array): Promise<void> {
  const got = await readCheckpointF32(out);
  const names = ['model.embed_tokens.weight', 'model.norm.weight', 'lm_head.weight', ...Array.from({ length: layers }, (_, i) => PER_LAYER.map((p) => layerName(i, p))).flat()];
  expect([...got.keys()].sort()).toEqual(names.sort());
  for (const [name, values] of got) {
    const w = want(name);
    expect(values.length, name).toBe(w.length);
    for (let i = 0; i < w.length; i++) if (values[i] !== w[i]) throw new Error(`${out} ${name}[${i}]: ${values[i]} ≠ ${w[i]}`);
  }
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { num_hidden_layers: number };
  expect(config.num_hidden_layers).toBe(layers);
}

/** The YAML run, its graph (recipe import), the graph's run with --json: both outputs and the stage events. */
async function runYamlAndGraph(name: string, yaml: string) {
  const recipe = join(dir, `${name}.yaml`);
  await writeFile(recipe, yaml);
  const fromYaml = join(dir, 'outs', `${name}-yaml`);
  const y = await runCli(['merge', recipe, '--out', fromYaml]);
  expect(y.code, y.stderr).toBe(0);
  const graphFile = join(dir, `${name}.crucible.json`);
  const imp = await runCli(['recipe', 'import', recipe, '--out', graphFile]);
  expect(imp.code, imp.stderr).toBe(0);
  const fromGraph = join(dir, 'outs', `${name}-graph`);
  const g = await runCli(['merge', graphFile, '--out', fromGraph, '--json']);
  expect(g.code, g.stdout + g.stderr).toBe(0);
  const stages = jsonLines(g.stdout)
    .filter((l) => l.type === 'stage')
    .map((s) => [s.index, s.count, s.name]);
  return { fromYaml, fromGraph, graphFile, graph: JSON.parse(readFileSync(graphFile, 'utf8')) as Project, stages };
}

/** What feeds a node's handle: a Model's path (relative, as written) or `kind:id` of another node. */
function feeding(p: Project, target: string, handle: string): string[] {
  return p.edges
    .filter((e) => e.target === target && e.targetHandle === handle)
    .map((e) => {
      const d = p.nodes.find((n) => n.id === e.source)!.data;
      return d.kind === 'model' ? d.path : `${d.kind}:${e.source}`;
    });
}

describe('a merge stage feeding a slices: stage (layers of the merge, then of a model)', () => {
  // mix = linear(a ×1, b ×3) = ¼a + ¾b; the final stage: out 0–1 ← mix 0–1, out 2–4 ← c 1–3.
  const YAML = [
    'name: mix',
    'merge_method: linear',
    'models:',
    '  - {model: models/a, parameters: {weight: 1}}',
    '  - {model: models/b, parameters: {weight: 3}}',
    '---',
    'merge_method: passthrough',
    'slices:',
    '  - sources:',
    '      - model: mix',
    '        layer_range: [0, 2]',
    '  - sources:',
    '      - model: models/c',
    '        layer_range: [1, 4]',
    'dtype: float32',
    '',
  ].join('\n');
  let run: Awaited<ReturnType<typeof runYamlAndGraph>>;

  it('imports as the merge node wired into a Layer assembly; the graph runs both stages and writes the bits the YAML does', async () => {
    run = await runYamlAndGraph('merge-then-slices', YAML);
    const merge = run.graph.nodes.find((n) => n.data.kind === 'merge')!;
    const asm = run.graph.nodes.find((n) => n.data.kind === 'layerAssembly')!;
    expect(merge.data).toMatchObject({ method: 'linear', label: 'mix' });
    expect(feeding(run.graph, asm.id, 'models')).toEqual([`merge:${merge.id}`, 'models/c']);
    const modelC = run.graph.nodes.find((n) => n.data.kind === 'model' && n.data.path === 'models/c')!;
    expect(asm.data.kind === 'layerAssembly' && asm.data.rows.map((r) => r.sources.map((s) => [s.input, s.range]))).toEqual([[[merge.id, [0, 2]]], [[modelC.id, [1, 4]]]]);
    expect(run.stages).toEqual([
      [1, 2, 'mix'],
      [2, 2, null],
    ]);
    // The stage's temporary folder is gone.
    expect(readdirSync(join(dir, 'outs')).filter((f) => f.startsWith('merge-then-slices')).sort()).toEqual(['merge-then-slices-graph', 'merge-then-slices-yaml']);
    await sameBits(run.fromGraph, run.fromYaml);
  });

  it('the output is layers 0–1 of ¼a + ¾b (computed here), then layers 1–3 of c: 5 layers; embeddings from mix, norm and lm_head from c', async () => {
    await expectTensors(run.fromGraph, 5, (name) => {
      const m = /^model\.layers\.(\d+)\.(.+)\.weight$/.exec(name);
      if (m) {
        const i = Number(m[1]);
        return i < 2 ? quarter(tensor(a, layerName(i, m[2])), tensor(b, layerName(i, m[2]))) : tensor(c, layerName(i - 1, m[2]));
      }
      // The first row's model gives the embeddings, the last row's the final norm and lm_head.
      return name === 'model.embed_tokens.weight' ? quarter(tensor(a, name), tensor(b, name)) : tensor(c, name);
    });
  });

  it('exports as a named linear document and a slices: document taking layers from it, which merges to the same bits', async () => {
    const out = join(dir, 'merge-then-slices.exported.yaml');
    const e = await runCli(['recipe', 'export', run.graphFile, '--out', out]);
    expect(e.code, e.stderr).toBe(0);
    const docs = readFileSync(out, 'utf8').split(/^---$/m);
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatch(/^name: mix$/m);
    expect(docs[1]).toMatch(/^slices:$/m);
    expect(docs[1]).toMatch(/- model: mix\n\s+layer_range: \[0, 2\]/);
    const again = join(dir, 'outs', 'merge-then-slices-exported');
    const m = await runCli(['merge', out, '--out', again]);
    expect(m.code, m.stderr).toBe(0);
    await sameBits(again, run.fromYaml);
  });

  it('the output records the chain (its graph with the Layer assembly); crucible verify re-runs it bit-identically', async () => {
    const meta = (await openCheckpoint(run.fromYaml)).files[0].metadata;
    const recorded = JSON.parse(meta['crucible.graph']) as Project;
    expect(recorded.nodes.map((n) => n.data.kind).sort()).toEqual(['layerAssembly', 'merge', 'model', 'model', 'model', 'output']);
    expect(JSON.parse(meta['crucible.stages']).map((s: { name: string }) => s.name)).toEqual(['mix']);
    for (const out of [run.fromYaml, run.fromGraph]) {
      const v = await runCli(['verify', out]);
      expect(v.code, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toContain('identical: all');
    }
  });

  it('crucible recipe extract reopens the graph output as the merge node wired into the Layer assembly, which merges to the same bits', async () => {
    const extracted = join(dir, 'merge-then-slices.extracted.json');
    const r = await runCli(['recipe', 'extract', run.fromGraph, '--out', extracted]);
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(readFileSync(extracted, 'utf8')) as Project;
    const asm = p.nodes.find((n) => n.data.kind === 'layerAssembly')!;
    const merge = p.nodes.find((n) => n.data.kind === 'merge')!;
    expect(p.edges.some((e) => e.source === merge.id && e.target === asm.id && e.targetHandle === 'models')).toBe(true);
    const again = join(dir, 'outs', 'merge-then-slices-extracted');
    const m = await runCli(['merge', extracted, '--out', again]);
    expect(m.code, m.stderr).toBe(0);
    await sameBits(again, run.fromYaml);
  });
});

describe('a slices: stage feeding a merge stage', () => {
  // frank = layers 0–1 of a, then 2–3 of b (4 layers); the final stage: linear(frank ×1, c ×3).
  const YAML = [
    'name: frank',
    'merge_method: passthrough',
    'slices:',
    '  - sources: [{model: models/a, layer_range: [0, 2]}]',
    '  - sources: [{model: models/b, layer_range: [2, 4]}]',
    '---',
    'merge_method: linear',
    'models:',
    '  - {model: frank, parameters: {weight: 1}}',
    '  - {model: models/c, parameters: {weight: 3}}',
    '',
  ].join('\n');

  it('imports as the Layer assembly wired into the merge; YAML and graph write the same bits: ¼·frank + ¾·c, computed here', async () => {
    const run = await runYamlAndGraph('slices-then-merge', YAML);
    const asm = run.graph.nodes.find((n) => n.data.kind === 'layerAssembly')!;
    const merge = run.graph.nodes.find((n) => n.data.kind === 'merge')!;
    expect(asm.data).toMatchObject({ label: 'frank', method: 'passthrough' });
    expect(feeding(run.graph, merge.id, 'models')).toEqual([`layerAssembly:${asm.id}`, 'models/c']);
    expect(run.stages).toEqual([
      [1, 2, 'frank'],
      [2, 2, null],
    ]);
    await sameBits(run.fromGraph, run.fromYaml);
    await expectTensors(run.fromGraph, 4, (name) => {
      const m = /^model\.layers\.(\d+)\.(.+)\.weight$/.exec(name);
      if (m) {
        const i = Number(m[1]);
        return quarter(tensor(i < 2 ? a : b, name), tensor(c, name));
      }
      return quarter(tensor(name === 'model.embed_tokens.weight' ? a : b, name), tensor(c, name));
    });
  });

  it('through the service: the stage events name the Layer assembly node, then the merge node', async () => {
    await withRealService(join(dir, 'config'), async (service, events) => {
      const out = join(dir, 'outs', 'slices-then-merge-service');
      const job = {
        recipe: { mergeMethod: 'linear', models: [{ model: 'frank', parameters: { weight: 1 } }, { model: 'models/c', parameters: { weight: 3 } }] },
        stages: [
          {
            recipe: {
              name: 'frank',
              mergeMethod: 'passthrough',
              slices: [{ sources: [{ model: 'models/a', layerRange: [0, 2] }] }, { sources: [{ model: 'models/b', layerRange: [2, 4] }] }],
            },
            mergeNodeId: 'asm',
          },
        ],
        recipeDir: dir,
        out,
        force: false,
        mergeNodeId: 'lin',
        outputNodeId: 'o',
      };
      const { jobId, end } = await runJobToEnd(service, events, job);
      expect(end?.kind, JSON.stringify(end)).toBe('job.finished');
      expect(stageEvents(events, jobId)).toEqual([
        { type: 'stage', index: 1, count: 2, name: 'frank', mergeNodeId: 'asm' },
        { type: 'stage', index: 2, count: 2, name: null, mergeNodeId: 'lin' },
      ]);
      expect(existsSync(out)).toBe(true);
      await sameBits(out, join(dir, 'outs', 'slices-then-merge-yaml'));
    });
  });

  it('through the service: the pre-flight of a merge reading a 6-layer frankenmerge of 4-layer models counts its 6 layers (it is not refused), and the run writes ¼·frank + ¾·d', async () => {
    await withRealService(join(dir, 'config-six'), async (service, events) => {
      const out = join(dir, 'outs', 'six-layers-service');
      // frank6 = layers 0–1 of a, then all 4 of b: 6 layers; then linear(frank6 ×1, d ×3) where d has 6 layers.
      const job = {
        recipe: { mergeMethod: 'linear', models: [{ model: 'frank6', parameters: { weight: 1 } }, { model: 'models/d', parameters: { weight: 3 } }] },
        stages: [
          {
            recipe: {
              name: 'frank6',
              mergeMethod: 'passthrough',
              slices: [{ sources: [{ model: 'models/a', layerRange: [0, 2] }] }, { sources: [{ model: 'models/b', layerRange: [0, 4] }] }],
            },
            mergeNodeId: 'asm',
          },
        ],
        recipeDir: dir,
        out,
        force: false,
        mergeNodeId: 'lin',
        outputNodeId: 'o',
      };
      const pf = await service.api['run.preflight']({ job });
      expect(pf.layerCount).toBe(6);
      expect(pf.tensors).toBe(d.tensors.size);
      const { end } = await runJobToEnd(service, events, job);
      expect(end?.kind, JSON.stringify(end)).toBe('job.finished');
      await expectTensors(out, 6, (name) => {
        const m = /^model\.layers\.(\d+)\.(.+)\.weight$/.exec(name);
        if (m) {
          const i = Number(m[1]);
          return quarter(i < 2 ? tensor(a, name) : tensor(b, layerName(i - 2, m[2])), tensor(d, name));
        }
        return quarter(tensor(name === 'model.embed_tokens.weight' ? a : b, name), tensor(d, name));
      });
    });
  });
});
