/**
 * Provenance through the built CLI: what a merge records (graph, inputs with header and optional
 * full-content hashes, model card), `crucible recipe import/export/extract` and `crucible verify`
 * (identical, a flipped byte, inputs moved and found by header hash, an input removed).
 * Expectations come from the files on disk (node:crypto, safetensors headers), not the engine.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileOutput } from '../../common/graph/compile.js';
import type { Project } from '../../common/graph/project-schema.js';
import type { MergeRecipe } from '../../common/recipe/types.js';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { makeLlamaCheckpoint } from '../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, jsonLines, ROOT, runCli } from './cli.js';

let dir: string;
let out: string;
const MODELS = ['base', 'a', 'b'];

const YAML = [
  '# a task-arithmetic merge of two fine-tunes',
  'merge_method: task_arithmetic',
  'base_model: models/base',
  'models:',
  '  - model: models/a',
  '    parameters: {weight: 0.5}',
  '  - model: models/b',
  '    parameters: {weight: 0.25}',
  'dtype: float32',
  '',
].join('\n');

async function metadata(folder: string): Promise<Record<string, string>> {
  return (await openCheckpoint(folder)).files[0].metadata;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** sha256 of a safetensors file's 8-byte prefix and header, computed here from the bytes. */
function headerSha256(path: string): string {
  const bytes = readFileSync(path);
  const n = Number(bytes.readBigUInt64LE(0));
  return createHash('sha256').update(bytes.subarray(0, 8 + n)).digest('hex');
}

function compiled(project: Project): MergeRecipe {
  const c = compileOutput(project, project.nodes.find((n) => n.data.kind === 'output')!.id);
  if (!c.ok) throw new Error(c.reason);
  return c.job.recipe;
}

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-provenance');
  for (const [i, m] of MODELS.entries()) await makeLlamaCheckpoint({ dir: join(dir, 'models', m), layers: 2, seed: i + 1 });
  await writeFile(join(dir, 'recipe.yaml'), YAML);
  await mkdir(join(dir, 'outs'));
  out = join(dir, 'outs', 'merged');
  const res = await runCli(['merge', join(dir, 'recipe.yaml'), '--out', out, '--full-hash']);
  if (res.code !== 0) throw new Error(res.stderr);
});
afterAll(removeTempDirs);

describe('what a merge records', () => {
  it('inputs with name, size and header hash; --full-hash adds the sha256 of each whole file; the graph even for a YAML merge', async () => {
    const meta = await metadata(out);
    const inputs = JSON.parse(meta['crucible.inputs']) as { model: string; path: string; files: { name: string; size: number; headerSha256: string; sha256?: string }[] }[];
    expect(inputs.map((i) => i.model).sort()).toEqual(['models/a', 'models/b', 'models/base']);
    for (const input of inputs) {
      expect(input.path).toBe(join(dir, input.model));
      const file = join(input.path, 'model.safetensors');
      expect(input.files).toEqual([{ name: 'model.safetensors', size: statSync(file).size, headerSha256: headerSha256(file), sha256: sha256(file) }]);
    }
    expect(meta['crucible.seed']).toMatch(/^\d+$/);
    expect(meta['crucible.version']).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const graph = JSON.parse(meta['crucible.graph']) as Project;
    expect(graph.nodes.filter((n) => n.data.kind === 'model').map((n) => (n.data as { path: string }).path).sort()).toEqual(['models/a', 'models/b', 'models/base']);
  });

  it('without --full-hash no full-content hash is recorded', async () => {
    const plain = join(dir, 'outs', 'plain');
    const res = await runCli(['merge', join(dir, 'recipe.yaml'), '--out', plain]);
    expect(res.code, res.stderr).toBe(0);
    const inputs = JSON.parse((await metadata(plain))['crucible.inputs']) as { files: object[] }[];
    for (const i of inputs) for (const f of i.files) expect(f).not.toHaveProperty('sha256');
    rmSync(plain, { recursive: true });
  });

  it('a model card: front matter listing the base models, the mergekit YAML, the graph', async () => {
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    const front = /^---\n([\s\S]*?)\n---\n/.exec(card)?.[1];
    expect(front).toBeDefined();
    const list = /base_model:\n((?:- .*\n?)+)/.exec(front! + '\n')![1].trim().split('\n');
    expect(list.map((l) => JSON.parse(l.slice(2)) as string).sort()).toEqual(['models/a', 'models/b', 'models/base']);
    expect(card).toContain('```yaml\n' + YAML + '```\n');
    const graphBlock = /```json\n([\s\S]*?)```/.exec(card)![1];
    expect(JSON.parse(graphBlock)).toEqual(JSON.parse((await metadata(out))['crucible.graph']));
  });
});

describe('crucible recipe extract and verify', () => {
  it('extract: a graph whose model paths point at the inputs and that compiles to the recorded recipe', async () => {
    const graphFile = join(dir, 'extracted.json');
    const res = await runCli(['recipe', 'extract', out, '--out', graphFile]);
    expect(res.code, res.stderr).toBe(0);
    const recorded = JSON.parse((await metadata(out))['crucible.recipe']) as MergeRecipe;
    const abs = (ref: string) => join(dir, ref);
    const got = compiled(JSON.parse(readFileSync(graphFile, 'utf8')) as Project);
    expect(got.mergeMethod).toBe(recorded.mergeMethod);
    expect(got.baseModel).toBe(abs(recorded.baseModel!));
    expect(got.models).toEqual(recorded.models!.map((m) => ({ ...m, model: abs(m.model) })));
    expect(got.parameters ?? {}).toEqual(recorded.parameters ?? {});
  });

  it('verify: exit 0, every tensor bit-identical', async () => {
    const res = await runCli(['verify', out, '--json']);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const tensors = (await openCheckpoint(out)).tensors.size;
    expect(jsonLines(res.stdout).at(-1)).toMatchObject({ identical: true, tensors, mismatches: [] });
    expect(readdirSync(join(dir, 'outs'))).toEqual(['merged']);
  });

  it('verify: one flipped byte of a tensor → exit 3 naming it', async () => {
    const flipped = join(dir, 'outs', 'flipped');
    cpSync(out, flipped, { recursive: true });
    const t = (await openCheckpoint(flipped)).tensors.get('model.layers.1.mlp.up_proj.weight')!;
    const h = await open(t.file, 'r+');
    const b = Buffer.alloc(1);
    await h.read(b, 0, 1, t.offset + 5);
    b[0] ^= 0x01;
    await h.write(b, 0, 1, t.offset + 5);
    await h.close();
    const res = await runCli(['verify', flipped]);
    expect(res.code, res.stdout + res.stderr).toBe(3);
    expect(res.stdout).toContain('mismatch: model.layers.1.mlp.up_proj.weight');
    expect(res.stdout.match(/^mismatch:/gm)).toHaveLength(1);
    const json = await runCli(['verify', flipped, '--json']);
    expect(json.code).toBe(3);
    expect(jsonLines(json.stdout).at(-1)).toMatchObject({ identical: false, mismatches: ['model.layers.1.mlp.up_proj.weight'] });
    rmSync(flipped, { recursive: true });
  });

  it('inputs moved: found by header hash under --models-root; an input removed → exit 2', async () => {
    const elsewhere = await makeTempDir('cli-provenance-moved');
    const moved = join(elsewhere, 'nested', 'checkpoints');
    await mkdir(join(elsewhere, 'nested'));
    renameSync(join(dir, 'models'), moved);
    // Not beside the output, not given: cannot be found.
    const lost = await runCli(['verify', out]);
    expect(lost.code, lost.stdout + lost.stderr).toBe(2);
    expect(lost.stderr).toContain('models/');

    const res = await runCli(['verify', out, '--models-root', elsewhere]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('identical');

    const graphFile = join(dir, 'moved.json');
    const ex = await runCli(['recipe', 'extract', out, '--models-root', elsewhere, '--out', graphFile]);
    expect(ex.code, ex.stderr).toBe(0);
    const recipe = compiled(JSON.parse(readFileSync(graphFile, 'utf8')) as Project);
    expect(recipe.baseModel).toBe(join(moved, 'base'));
    expect(recipe.models!.map((m) => m.model)).toEqual([join(moved, 'a'), join(moved, 'b')]);

    rmSync(join(moved, 'b'), { recursive: true });
    const gone = await runCli(['verify', out, '--models-root', elsewhere]);
    expect(gone.code, gone.stdout + gone.stderr).toBe(2);
    expect(gone.stderr).toContain("'models/b'");
    expect(existsSync(join(moved, 'a'))).toBe(true);
  });
});

describe('crucible recipe import / export', () => {
  const fixtures = join(ROOT, 'test', 'fixtures', 'recipes');

  it('an invalid file: exit 2 with its line number', async () => {
    const file = readdirSync(fixtures).find((n) => n.startsWith('034-'))!;
    const res = await runCli(['recipe', 'import', join(fixtures, file), '--out', join(dir, 'bad.json')]);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(new RegExp(`${file}:\\d+`));
    expect(existsSync(join(dir, 'bad.json'))).toBe(false);
  });

  it('import → export → import gives the same recipe; warnings on stderr with exit 0', async () => {
    const first = join(dir, 'rt1.json');
    const yaml = join(dir, 'rt.yaml');
    const second = join(dir, 'rt2.json');
    const imp = await runCli(['recipe', 'import', join(fixtures, '033-ties-global-density.yaml'), '--out', first]);
    expect(imp.code, imp.stderr).toBe(0);
    const exp = await runCli(['recipe', 'export', first, '--out', yaml]);
    expect(exp.code, exp.stderr).toBe(0);
    const again = await runCli(['recipe', 'import', yaml, '--out', second]);
    expect(again.code, again.stderr).toBe(0);
    const a = compiled(JSON.parse(readFileSync(first, 'utf8')) as Project);
    const b = compiled(JSON.parse(readFileSync(second, 'utf8')) as Project);
    expect(b).toEqual(a);
    expect(a.mergeMethod).toBe('ties');
    expect(a.models!.map((m) => m.model)).toContain('chargoddard/piano-medley-7b');
  });

  it('a local YAML imports with its model paths relative to the graph file; an unknown key is a warning (exit 0)', async () => {
    await mkdir(join(dir, 'graphs'));
    await makeLlamaCheckpoint({ dir: join(dir, 'm2', 'base'), layers: 1, seed: 7 });
    await makeLlamaCheckpoint({ dir: join(dir, 'm2', 'a'), layers: 1, seed: 8 });
    await writeFile(join(dir, 'local.yaml'), 'merge_method: linear\nmodels:\n  - {model: m2/base, parameters: {weight: 1}}\n  - {model: m2/a, parameters: {weight: 3}}\nbogus_key: 1\n');
    const graph = join(dir, 'graphs', 'local.json');
    const imp = await runCli(['recipe', 'import', join(dir, 'local.yaml'), '--out', graph]);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stderr).toContain('warning');
    const recipe = compiled(JSON.parse(readFileSync(graph, 'utf8')) as Project);
    expect(recipe.models!.map((m) => m.model)).toEqual(['../m2/base', '../m2/a']);
  });
});
