/**
 * base_model on a linear merge, through the CLI as a user runs it: the base is the donor (the
 * output's config.json, tokenizer and generation files come from it; `tokenizer_source: base`
 * names it) and its weights are not merged. `recipe import` → `recipe export` keeps base_model, and
 * merging the graph or the exported YAML gives the same bits. Needs `npm run build`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointF32, readCheckpointRaw } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, runCli } from './cli.js';

let dir: string;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;
let base: BuiltCheckpoint;

const YAML = [
  'merge_method: linear',
  'base_model: models/base',
  'models:',
  '  - model: models/a',
  '    parameters:',
  '      weight: 1',
  '  - model: models/b',
  '    parameters:',
  '      weight: 1',
  'tokenizer_source: base',
  'dtype: float32',
  '',
].join('\n');

/** Each model's own tokenizer_config.json and generation_config.json, told apart by a marker. */
function markFiles(folder: string, who: string): void {
  writeFileSync(join(folder, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'PreTrainedTokenizerFast', model_max_length: 128, marker: who }) + '\n');
  writeFileSync(join(folder, 'generation_config.json'), JSON.stringify({ bos_token_id: 1, marker: who }) + '\n');
}

function json(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-donor-base');
  a = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'a'), seed: 2, config: { rope_theta: 10000, marker: 'a' } });
  b = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'b'), seed: 3, config: { rope_theta: 10000, marker: 'b' } });
  base = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'base'), seed: 1, config: { rope_theta: 500000, marker: 'base' } });
  markFiles(a.dir, 'a');
  markFiles(b.dir, 'b');
  markFiles(base.dir, 'base');
  writeFileSync(join(dir, 'lin.yaml'), YAML);
  const res = await runCli(['merge', join(dir, 'lin.yaml'), '--out', join(dir, 'out-yaml')]);
  if (res.code !== 0) throw new Error(res.stderr);
});
afterAll(removeTempDirs);

describe('crucible merge of a linear recipe with base_model', () => {
  it('writes config.json from the base (its rope_theta and marker), and its tokenizer and generation files', () => {
    const config = json(join(dir, 'out-yaml', 'config.json'));
    expect(config.marker).toBe('base');
    expect(config.rope_theta).toBe(500000);
    expect(config.num_hidden_layers).toBe(2);
    expect(json(join(dir, 'out-yaml', 'tokenizer_config.json')).marker).toBe('base');
    expect(json(join(dir, 'out-yaml', 'generation_config.json')).marker).toBe('base');
  });

  it('merges only the two models: every tensor is (a + b) / 2, the base not in it', async () => {
    const out = await readCheckpointF32(join(dir, 'out-yaml'));
    expect([...out.keys()].sort()).toEqual([...a.tensors.keys()].sort());
    for (const [name, got] of out) {
      const x = a.tensors.get(name)!;
      const y = b.tensors.get(name)!;
      // Halves of float32 values are exact, so the mean rounds once whatever the compute precision.
      const want = Float32Array.from(x, (v, i) => (v + y[i]) / 2);
      expect(got, name).toEqual(want);
    }
    // A merge that took the base in as a third model would differ.
    const q = 'model.layers.0.self_attn.q_proj.weight';
    const withBase = Float32Array.from(a.tensors.get(q)!, (v, i) => (v + b.tensors.get(q)![i] + base.tensors.get(q)![i]) / 3);
    expect(out.get(q)).not.toEqual(withBase);
  });
});

describe('recipe import → export → merge', () => {
  it('keeps base_model and tokenizer_source: base, and the graph and the exported YAML merge to the same bits', async () => {
    const graph = join(dir, 'g.json');
    const back = join(dir, 'back.yaml');
    const imp = await runCli(['recipe', 'import', join(dir, 'lin.yaml'), '--out', graph]);
    expect(imp.code, imp.stderr).toBe(0);
    const exp = await runCli(['recipe', 'export', graph, '--out', back]);
    expect(exp.code, exp.stderr).toBe(0);
    const text = readFileSync(back, 'utf8');
    expect(text).toMatch(/^base_model: models\/base$/m);
    expect(text).toMatch(/^tokenizer_source: base$/m);

    for (const [src, out] of [
      [back, 'out-back'],
      [graph, 'out-graph'],
    ]) {
      const res = await runCli(['merge', src, '--out', join(dir, out)]);
      expect(res.code, `${src}: ${res.stderr}`).toBe(0);
      const want = await readCheckpointRaw(join(dir, 'out-yaml'));
      const got = await readCheckpointRaw(join(dir, out));
      expect([...got.keys()]).toEqual([...want.keys()]);
      for (const [name, t] of want) expect(Buffer.from(got.get(name)!.bytes).equals(Buffer.from(t.bytes)), `${out} ${name}`).toBe(true);
      expect(readFileSync(join(dir, out, 'config.json'), 'utf8')).toBe(readFileSync(join(dir, 'out-yaml', 'config.json'), 'utf8'));
      expect(json(join(dir, out, 'tokenizer_config.json')).marker).toBe('base');
    }
  });
});

describe('crucible verify of that output', () => {
  it('re-runs the recorded recipe, the base found as an input, and reports bit-identity (exit 0)', async () => {
    const res = await runCli(['verify', join(dir, 'out-yaml')]);
    expect(res.code, res.stderr + res.stdout).toBe(0);
  });
});

describe('a chain whose first stage is a linear merge with base_model', () => {
  it("the stage's output takes the base's config and tokenizer, and passes them on to the final merge reading it first", async () => {
    const chain = [
      'name: soup',
      'merge_method: linear',
      'base_model: models/base',
      'models:',
      '  - model: models/a',
      '    parameters: {weight: 1}',
      '  - model: models/b',
      '    parameters: {weight: 1}',
      'tokenizer_source: base',
      'dtype: float32',
      '---',
      'merge_method: linear',
      'models:',
      '  - model: soup',
      '    parameters: {weight: 1}',
      '  - model: models/a',
      '    parameters: {weight: 1}',
      'dtype: float32',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'chain.yaml'), chain);
    const graph = join(dir, 'chain.json');
    const back = join(dir, 'chain-back.yaml');
    expect((await runCli(['recipe', 'import', join(dir, 'chain.yaml'), '--out', graph])).code).toBe(0);
    expect((await runCli(['recipe', 'export', graph, '--out', back])).code).toBe(0);
    const docs = readFileSync(back, 'utf8').split(/^---$/m);
    expect(docs[0]).toMatch(/^base_model: models\/base$/m);
    const res = await runCli(['merge', back, '--out', join(dir, 'out-chain')]);
    expect(res.code, res.stderr).toBe(0);
    expect(json(join(dir, 'out-chain', 'config.json')).marker).toBe('base');
    expect(json(join(dir, 'out-chain', 'tokenizer_config.json')).marker).toBe('base');
    // ((a + b) / 2 + a) / 2, each step rounded to float32 as the stage output is written.
    const out = await readCheckpointF32(join(dir, 'out-chain'));
    for (const [name, got] of out) {
      const x = a.tensors.get(name)!;
      const y = b.tensors.get(name)!;
      const soup = Float32Array.from(x, (v, i) => (v + y[i]) / 2);
      expect(got, name).toEqual(Float32Array.from(soup, (v, i) => (v + x[i]) / 2));
    }
  });
});
