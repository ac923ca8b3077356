/**
 * Fisher merging through `crucible merge` as a user runs it: a project file whose Fisher nodes read
 * Fisher files, and a YAML recipe naming each model's `fisher:` file, both through the ordinary
 * planner and workers (progress events, provenance). Expected tensors are computed here from the
 * definition out = Σ w_i F_i x_i / Σ w_i F_i (spec §4), never from the engine's code: where one
 * Fisher dominates, that model's value; where the Fisher values are equal, the weighted mean.
 */
import { readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFisherFile } from '../../electron/engine/fisher/fisher-file.js';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointF32 } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { ROOT, assertBuilt, jsonLines, runCli } from './cli.js';

let dir: string;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;

/** Even elements: A's Fisher dominates (10⁶ vs 0). Odd elements: both 0.5 (equal). */
const fisherA = (k: number) => (k % 2 === 0 ? 1e6 : 0.5);
const fisherB = (k: number) => (k % 2 === 0 ? 0 : 0.5);
const WEIGHTS = [1, 3];

async function fisherFile(name: string, ck: BuiltCheckpoint, value: (k: number) => number, skip?: string, reshape?: string): Promise<string> {
  const path = join(dir, name);
  const tensors = [...ck.tensors]
    .filter(([t]) => t !== skip)
    .map(([t, v]) => ({ name: t, shape: t === reshape ? [v.length] : ck.shapes.get(t)!, values: Float32Array.from(v, (_, k) => value(k)) }));
  await writeFisherFile(path, tensors, { estimator: 'hand-made', model: ck.dir, count: 1, sources: [] });
  return path;
}

/** The hand-computed merge of element k of a tensor. */
function expected(x: number, y: number, k: number): number {
  return k % 2 === 0 ? x : (WEIGHTS[0] * x + WEIGHTS[1] * y) / (WEIGHTS[0] + WEIGHTS[1]);
}

async function expectFisherMerged(out: string): Promise<void> {
  const got = await readCheckpointF32(out);
  expect(got.size).toBe(a.tensors.size);
  for (const [name, x] of a.tensors) {
    const y = b.tensors.get(name)!;
    const v = got.get(name)!;
    for (let k = 0; k < x.length; k++) {
      const want = expected(x[k], y[k], k);
      if (!(Math.abs(v[k] - want) <= 2e-7 * Math.max(1, Math.abs(want)))) throw new Error(`${out} ${name}[${k}]: ${v[k]} ≠ ${want}`);
    }
  }
}

function project(outFolder: string, fa: string, fb: string): unknown {
  return {
    format: 'crucible-project',
    version: 2,
    name: 'fisher',
    nodes: [
      { id: 'ma', position: { x: 0, y: 0 }, data: { kind: 'model', path: 'models/a' } },
      { id: 'mb', position: { x: 0, y: 200 }, data: { kind: 'model', path: 'models/b' } },
      { id: 'fa', position: { x: 200, y: 0 }, data: { kind: 'fisher', source: 'file', file: fa, texts: [] } },
      { id: 'fb', position: { x: 200, y: 200 }, data: { kind: 'fisher', source: 'file', file: fb, texts: [] } },
      {
        id: 'fm',
        position: { x: 420, y: 100 },
        data: { kind: 'merge', method: 'fisher', params: {}, modelParams: { ma: { weight: WEIGHTS[0] }, mb: { weight: WEIGHTS[1] } } },
      },
      { id: 'out', position: { x: 700, y: 100 }, data: { kind: 'output', folder: outFolder, dtype: 'auto', shardSize: 5e9, seed: 0, overwrite: false } },
    ],
    edges: [
      { id: 'e1', source: 'ma', sourceHandle: 'weights', target: 'fa', targetHandle: 'model' },
      { id: 'e2', source: 'mb', sourceHandle: 'weights', target: 'fb', targetHandle: 'model' },
      { id: 'e3', source: 'ma', sourceHandle: 'weights', target: 'fm', targetHandle: 'models' },
      { id: 'e4', source: 'mb', sourceHandle: 'weights', target: 'fm', targetHandle: 'models' },
      // Fisher edges in the other order: pairing goes by the Fisher node's model, not edge order.
      { id: 'e5', source: 'fb', sourceHandle: 'fisher', target: 'fm', targetHandle: 'fishers' },
      { id: 'e6', source: 'fa', sourceHandle: 'fisher', target: 'fm', targetHandle: 'fishers' },
      { id: 'e7', source: 'fm', sourceHandle: 'weights', target: 'out', targetHandle: 'weights' },
    ],
  };
}

function yamlRecipe(fa: string, fb: string): string {
  return [
    'merge_method: fisher',
    'models:',
    '  - model: models/a',
    `    fisher: ${fa}`,
    '    parameters: {weight: 1}',
    '  - model: models/b',
    `    fisher: ${fb}`,
    '    parameters: {weight: 3}',
    '',
  ].join('\n');
}

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-fisher-merge');
  a = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'a'), layers: 2, seed: 11 });
  b = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'b'), layers: 2, seed: 12 });
  await fisherFile('fa.safetensors', a, fisherA);
  await fisherFile('fb.safetensors', b, fisherB);
});
afterAll(removeTempDirs);

describe('crucible merge: Fisher merging', () => {
  it('a project whose Fisher nodes read files: one dominant Fisher picks that model, equal Fisher gives the weighted mean', async () => {
    const file = join(dir, 'fisher.crucible.json');
    await writeFile(file, JSON.stringify(project('outs/project', 'fa.safetensors', 'fb.safetensors'), null, 2));
    const res = await runCli(['merge', file, '--json', '--threads', '2']);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const lines = jsonLines(res.stdout);
    const out = join(dir, 'outs', 'project');
    expect(lines.at(-1)).toMatchObject({ type: 'done', out, tensors: a.tensors.size });
    expect(lines.filter((l) => l.type === 'progress').length).toBeGreaterThan(0);
    await expectFisherMerged(out);
    // Provenance names the Fisher files among the inputs, by header hash like the models.
    const inputs = JSON.parse((await openCheckpoint(out)).files[0].metadata['crucible.inputs']) as { model: string; path: string }[];
    expect(inputs.map((i) => i.model)).toEqual(['models/a', 'models/b', 'fa.safetensors', 'fb.safetensors']);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).not.toContain('- fa.safetensors');
  });

  it("a YAML recipe naming each model's `fisher:` file merges to the same values", async () => {
    const yamlFile = join(dir, 'fisher.yaml');
    await writeFile(yamlFile, yamlRecipe('fa.safetensors', 'fb.safetensors'));
    const res = await runCli(['merge', yamlFile, '--out', join(dir, 'outs', 'yaml')]);
    expect(res.code, res.stderr).toBe(0);
    await expectFisherMerged(join(dir, 'outs', 'yaml'));
  });

  it('a Fisher file missing a tensor, or with another shape, or a model without one: exit 2 naming the file and tensor', async () => {
    const missing = await fisherFile('missing.safetensors', b, fisherB, 'model.layers.1.mlp.up_proj.weight');
    const reshaped = await fisherFile('reshaped.safetensors', b, fisherB, undefined, 'model.layers.0.self_attn.o_proj.weight');
    for (const [fb, tensor] of [
      [missing, 'model.layers.1.mlp.up_proj.weight'],
      [reshaped, 'model.layers.0.self_attn.o_proj.weight'],
    ]) {
      const file = join(dir, 'bad.crucible.json');
      await writeFile(file, JSON.stringify(project('outs/never', 'fa.safetensors', fb)));
      const res = await runCli(['merge', file]);
      expect(res.code, res.stdout + res.stderr).toBe(2);
      expect(res.stderr).toContain(fb);
      expect(res.stderr).toContain(tensor);
    }
    const yamlFile = join(dir, 'no-fisher.yaml');
    await writeFile(yamlFile, 'merge_method: fisher\nmodels:\n  - model: models/a\n    fisher: fa.safetensors\n  - model: models/b\n');
    const res = await runCli(['merge', yamlFile, '--out', join(dir, 'outs', 'never')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("model 'models/b' has no Fisher file");
  });

  it('export-yaml writes the Fisher files and lists Fisher merging as not expressible in mergekit, saying why', async () => {
    const file = join(dir, 'fisher.crucible.json');
    const yamlFile = join(dir, 'exported.yaml');
    const res = await runCli(['export-yaml', file, '--out', yamlFile]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/not expressible in mergekit: Fisher merging .*mergekit has no Fisher merging/);
    const text = readFileSync(yamlFile, 'utf8');
    expect(text).toContain('fisher: fa.safetensors');
    const merged = await runCli(['merge', yamlFile, '--out', join(dir, 'outs', 'exported')]);
    expect(merged.code, merged.stderr).toBe(0);
    await expectFisherMerged(join(dir, 'outs', 'exported'));
  });
});

describe('reopening a Fisher merge whose models and Fisher files moved', () => {
  /** A folder of its own: models/a, models/b, fishers/fa and fishers/fb, and the project reading them. */
  async function layout(name: string): Promise<{ root: string; project: string }> {
    const root = join(dir, name);
    await mkdir(join(root, 'fishers'), { recursive: true });
    await cp(join(dir, 'models'), join(root, 'models'), { recursive: true });
    await cp(join(dir, 'fa.safetensors'), join(root, 'fishers', 'fa.safetensors'));
    await cp(join(dir, 'fb.safetensors'), join(root, 'fishers', 'fb.safetensors'));
    const file = join(root, 'fisher.crucible.json');
    await writeFile(file, JSON.stringify(project('out', 'fishers/fa.safetensors', 'fishers/fb.safetensors')));
    return { root, project: file };
  }

  type RecordedInput = { model: string; kind?: string; path: string };

  it('records the Fisher files with kind "fisher"; extract --models-root re-points models and Fisher files by header hash; verify is bit-identical', async () => {
    const { root, project: file } = await layout('moved-all');
    const res = await runCli(['merge', file]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const out = join(root, 'out');
    const inputs = JSON.parse((await openCheckpoint(out)).files[0].metadata['crucible.inputs']) as RecordedInput[];
    expect(inputs.map((i) => [i.model, i.kind])).toEqual([
      ['models/a', undefined],
      ['models/b', undefined],
      ['fishers/fa.safetensors', 'fisher'],
      ['fishers/fb.safetensors', 'fisher'],
    ]);

    // Models and Fisher files move to another folder, under other folder names.
    const elsewhere = join(dir, 'elsewhere-all');
    await mkdir(elsewhere);
    await rename(join(root, 'models'), join(elsewhere, 'checkpoints'));
    await rename(join(root, 'fishers'), join(elsewhere, 'fisher-info'));
    const graphFile = join(dir, 'reopened-fisher.json');
    const extracted = await runCli(['recipe', 'extract', out, '--models-root', elsewhere, '--out', graphFile]);
    expect(extracted.code, extracted.stderr).toBe(0);
    const graph = JSON.parse(readFileSync(graphFile, 'utf8')) as { nodes: { id: string; data: Record<string, unknown> }[] };
    const data = (id: string) => graph.nodes.find((n) => n.id === id)!.data;
    expect(data('ma').path).toBe(join(elsewhere, 'checkpoints', 'a'));
    expect(data('mb').path).toBe(join(elsewhere, 'checkpoints', 'b'));
    expect(data('fa').file).toBe(join(elsewhere, 'fisher-info', 'fa.safetensors'));
    expect(data('fb').file).toBe(join(elsewhere, 'fisher-info', 'fb.safetensors'));

    const verified = await runCli(['verify', out, '--models-root', elsewhere]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    // The reopened graph merges to the same values.
    const again = await runCli(['merge', graphFile, '--out', join(dir, 'outs', 'reopened-fisher')]);
    expect(again.code, again.stderr).toBe(0);
    await expectFisherMerged(join(dir, 'outs', 'reopened-fisher'));
  });

  it('a YAML recipe run: the output reopens as a graph with Fisher nodes re-pointed to the moved files, which merges to the same values', async () => {
    const { root } = await layout('moved-yaml');
    const yamlFile = join(root, 'fisher.yaml');
    await writeFile(yamlFile, yamlRecipe('fishers/fa.safetensors', 'fishers/fb.safetensors'));
    const out = join(root, 'out');
    expect((await runCli(['merge', yamlFile, '--out', out])).code).toBe(0);
    const elsewhere = join(dir, 'elsewhere-yaml');
    await mkdir(elsewhere);
    await rename(join(root, 'models'), join(elsewhere, 'models'));
    await rename(join(root, 'fishers'), join(elsewhere, 'fisher-files'));
    const graphFile = join(dir, 'reopened-yaml.json');
    const extracted = await runCli(['recipe', 'extract', out, '--models-root', elsewhere, '--out', graphFile]);
    expect(extracted.code, extracted.stderr).toBe(0);
    expect(extracted.stderr).toContain(`Fisher file 'fishers/fa.safetensors' moved: found by header hash at ${join(elsewhere, 'fisher-files', 'fa.safetensors')}`);
    const graph = JSON.parse(readFileSync(graphFile, 'utf8')) as { nodes: { data: Record<string, unknown> }[] };
    expect(graph.nodes.filter((n) => n.data.kind === 'fisher').map((n) => n.data.file)).toEqual([
      join(elsewhere, 'fisher-files', 'fa.safetensors'),
      join(elsewhere, 'fisher-files', 'fb.safetensors'),
    ]);
    const again = await runCli(['merge', graphFile, '--out', join(dir, 'outs', 'reopened-yaml')]);
    expect(again.code, again.stderr).toBe(0);
    await expectFisherMerged(join(dir, 'outs', 'reopened-yaml'));
  });

  it('a Fisher file that cannot be found: extract and verify exit 2 naming it', async () => {
    const { root, project: file } = await layout('moved-one');
    expect((await runCli(['merge', file])).code).toBe(0);
    const out = join(root, 'out');
    const elsewhere = join(dir, 'elsewhere-one');
    await mkdir(elsewhere);
    await rename(join(root, 'models'), join(elsewhere, 'models'));
    await rename(join(root, 'fishers'), join(elsewhere, 'fishers'));
    await rm(join(elsewhere, 'fishers', 'fb.safetensors'));
    const verified = await runCli(['verify', out, '--models-root', elsewhere]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(2);
    expect(verified.stderr).toContain("Fisher file 'fishers/fb.safetensors' cannot be found");
    expect(verified.stderr).toContain(join(root, 'fishers', 'fb.safetensors'));
    const extracted = await runCli(['recipe', 'extract', out, '--models-root', elsewhere, '--out', join(dir, 'never.json')]);
    expect(extracted.code).toBe(2);
    expect(extracted.stderr).toContain("Fisher file 'fishers/fb.safetensors' cannot be found");
  });
});

describe('crucible fisher MODEL --text FILE --out FISHER.safetensors (the issue’s form)', () => {
  it('estimates as `crucible fisher estimate` does: the same file, one non-negative F32 tensor per weight of the model', async () => {
    const model = join(ROOT, 'test', 'fixtures', 'tiny-gpt2');
    const text = join(dir, 'probe.txt');
    await writeFile(text, 'for (int i = 0; i < n; i++) { sum += a[i]; } The quick brown fox jumps over the lazy dog.');
    const short = join(dir, 'short.fisher.safetensors');
    const long = join(dir, 'long.fisher.safetensors');
    const r1 = await runCli(['fisher', model, '--text', text, '--out', short, '--window', '16', '--stride', '16', '--json']);
    expect(r1.code, r1.stderr).toBe(0);
    expect(jsonLines(r1.stdout).at(-1)).toMatchObject({ type: 'done', out: short, kind: 'language-model' });
    const r2 = await runCli(['fisher', 'estimate', model, '--text', text, '--out', long, '--window', '16', '--stride', '16']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(readFileSync(short).equals(readFileSync(long))).toBe(true);
    const weights = await openCheckpoint(model);
    const fisher = await readCheckpointF32(short);
    for (const [name, t] of weights.tensors) {
      if (!t.dtype.startsWith('F') && t.dtype !== 'BF16') continue;
      const f = fisher.get(name);
      expect(f?.length, name).toBe(t.numel);
      expect(f!.every((v) => v >= 0)).toBe(true);
    }
    // Without --out it is a usage error (exit 2), as for the long form.
    expect((await runCli(['fisher', model, '--text', text])).code).toBe(2);
  });
});

