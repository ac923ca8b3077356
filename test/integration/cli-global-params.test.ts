/**
 * Per-model parameters at a recipe's top level (mergekit: every model's default unless it sets its
 * own; recipes 014–016, 033, 038, 062, 078, 079 rely on it), through the CLI as a user runs it:
 * `crucible merge` of the YAML, of its imported graph (`recipe import`) and of that graph exported
 * back (`recipe export`) write the same bits, and the top-level keys are written back. Needs
 * `npm run build`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointRaw } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, runCli } from './cli.js';

let dir: string;
let base: BuiltCheckpoint;

/** 033's shape: TIES whose density (and here a per-layer weight) is given only at the top level. */
const YAML = [
  'merge_method: ties',
  'base_model: models/base',
  'models:',
  '  - model: models/a',
  '    parameters:',
  '      weight: 1',
  '      density: 1',
  '  - model: models/b',
  '    parameters:',
  '      weight: 0.3',
  '  - model: models/c',
  'parameters:',
  '  density: 0.4',
  '  weight: [0.2, 0.6]',
  '  int8_mask: true',
  '  normalize: true',
  'dtype: float32',
  '',
].join('\n');

async function fineTune(name: string, seed: number): Promise<BuiltCheckpoint> {
  return makeLlamaCheckpoint({
    dir: join(dir, 'models', name),
    seed,
    layers: 3,
    values: (n, _shape, rng) => Float32Array.from(base.tensors.get(n)!, (v) => v + 0.02 * rng.normal()),
  });
}

async function bytesOf(out: string): Promise<Map<string, Buffer>> {
  const raw = await readCheckpointRaw(join(dir, out));
  return new Map([...raw].map(([k, t]) => [k, Buffer.from(t.bytes)]));
}

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-global-params');
  base = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'base'), seed: 1, layers: 3 });
  await fineTune('a', 2);
  await fineTune('b', 3);
  await fineTune('c', 4);
  writeFileSync(join(dir, 'r.yaml'), YAML);
  // The same merge with every model's values written on the model (the reference the others must meet).
  writeFileSync(
    join(dir, 'explicit.yaml'),
    YAML.replace('      weight: 0.3\n', '      weight: 0.3\n      density: 0.4\n')
      .replace('  - model: models/c\n', '  - model: models/c\n    parameters:\n      weight: [0.2, 0.6]\n      density: 0.4\n')
      .replace('  density: 0.4\n  weight: [0.2, 0.6]\n', ''),
  );
  // Without the top level's per-model keys: what the graph merged when it dropped them (density 1).
  writeFileSync(join(dir, 'dropped.yaml'), YAML.replace('  density: 0.4\n', '').replace('  - model: models/c\n', '  - model: models/c\n    parameters:\n      weight: [0.2, 0.6]\n'));
  for (const [src, out] of [
    ['r.yaml', 'out-yaml'],
    ['explicit.yaml', 'out-explicit'],
    ['dropped.yaml', 'out-dropped'],
  ]) {
    const res = await runCli(['merge', join(dir, src), '--out', join(dir, out)]);
    if (res.code !== 0) throw new Error(`${src}: ${res.stderr}`);
  }
});
afterAll(removeTempDirs);

describe('top-level per-model parameters: YAML, imported graph and exported YAML merge alike', () => {
  it('the YAML merge is the merge with the values written on each model, and differs from one without them', async () => {
    const yaml = await bytesOf('out-yaml');
    const explicit = await bytesOf('out-explicit');
    const dropped = await bytesOf('out-dropped');
    for (const [name, b] of explicit) expect(yaml.get(name)!.equals(b), name).toBe(true);
    expect([...dropped].some(([name, b]) => !yaml.get(name)!.equals(b))).toBe(true);
  });

  it('recipe import → merge GRAPH and → recipe export → merge YAML write the YAML merge bit for bit; the export keeps the top-level keys', async () => {
    const graph = join(dir, 'g.crucible.json');
    const back = join(dir, 'back.yaml');
    const imp = await runCli(['recipe', 'import', join(dir, 'r.yaml'), '--out', graph]);
    expect(imp.code, imp.stderr).toBe(0);
    const exp = await runCli(['recipe', 'export', graph, '--out', back]);
    expect(exp.code, exp.stderr).toBe(0);
    const doc = parse(readFileSync(back, 'utf8')) as { parameters: Record<string, unknown>; models: { model: string; parameters?: unknown }[] };
    expect(doc.parameters).toEqual({ density: 0.4, weight: [0.2, 0.6], int8_mask: true, normalize: true });
    expect(doc.models[2]).toEqual({ model: 'models/c' });

    const want = await bytesOf('out-yaml');
    for (const [src, out] of [
      [graph, 'out-graph'],
      [back, 'out-back'],
    ]) {
      const res = await runCli(['merge', src, '--out', join(dir, out)]);
      expect(res.code, `${src}: ${res.stderr}`).toBe(0);
      const got = await bytesOf(out);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [name, b] of want) expect(got.get(name)!.equals(b), `${out} ${name}`).toBe(true);
    }
  });
});
