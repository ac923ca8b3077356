/**
 * Re-Basin on the PyTorch fixtures: a randomly permuted model computes the reference logits
 * (1e-4), and aligning it back onto the original recovers the original exactly, bit for bit.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import type { CheckpointInfo } from '../../../electron/engine/io/types.js';
import { detectLanguageModel } from '../../../electron/engine/probe/arch/detect-language-model.js';
import { readTensorF32 } from '../../../electron/engine/probe/stream/read-tensor-f32.js';
import { alignCheckpoint } from '../../../electron/engine/rebasin/align-checkpoint.js';
import { languageModelPermutationSpec } from '../../../electron/engine/rebasin/language-model-spec.js';
import type { PermutationSpec, Permutations } from '../../../electron/engine/rebasin/permutation-spec.js';
import { permuteTensor } from '../../../electron/engine/rebasin/permute-tensor.js';
import { readCheckpointF32, readCheckpointRaw } from '../../helpers/read-checkpoint.js';
import { makeRng, type Rng } from '../../helpers/prng.js';
import { writeHfCheckpoint } from '../../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { FIXTURES, readReference } from '../probe/fixture-forward.js';
import { forwardLogits, referenceLogitError } from './lm-forward.js';

afterAll(removeTempDirs);

function shuffle(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Random permutations that respect the architecture: KV groups move whole, query heads within their group. */
function randomPermutations(spec: PermutationSpec, rng: Rng): Permutations {
  const perms: Permutations = new Map();
  for (const g of spec.groups) {
    if (g.kind === 'units') {
      perms.set(g.perm, Int32Array.from(shuffle(g.size, rng)));
      continue;
    }
    const G = g.heads / g.kvHeads;
    const sigma = shuffle(g.kvHeads, rng);
    perms.set(g.kvPerm, Int32Array.from(sigma));
    perms.set(g.qPerm, Int32Array.from(sigma.flatMap((s) => shuffle(G, rng).map((t) => s * G + t))));
  }
  return perms;
}

function specOf(ck: CheckpointInfo): PermutationSpec {
  return languageModelPermutationSpec(detectLanguageModel(ck), new Map([...ck.tensors].map(([n, t]) => [n, t.shape])));
}

/** The fixture with random permutations applied, written as an F32 HF folder. */
async function permutedCopy(fixture: string, seed: number, dtype: 'F32' | 'F64' = 'F32'): Promise<{ dir: string; perms: Permutations }> {
  const ck = await openCheckpoint(join(FIXTURES, fixture));
  const spec = specOf(ck);
  const perms = randomPermutations(spec, makeRng(seed));
  const tensors = [...ck.tensors.values()].map((t) => ({
    name: t.name,
    shape: t.shape,
    values: permuteTensor(readTensorF32(t), t.shape, spec.refs.filter((r) => r.tensor === t.name), perms),
  }));
  const dir = await makeTempDir(`permuted-${fixture}`);
  const config = JSON.parse(await readFile(join(FIXTURES, fixture, 'config.json'), 'utf8')) as Record<string, unknown>;
  await writeHfCheckpoint(dir, tensors, { dtype, config: { ...config, torch_dtype: dtype === 'F32' ? 'float32' : 'float64' }, tokenizer: false });
  return { dir, perms };
}

describe.each(['tiny-llama', 'tiny-qwen2', 'tiny-gpt2'])('%s', (fixture) => {
  it('permuted by the spec, still gives the PyTorch reference logits (1e-4)', async () => {
    const { dir, perms } = await permutedCopy(fixture, 1);
    // The permutations are far from the identity, so a wrong spec cannot pass by accident.
    const moved = [...perms.values()].reduce((s, p) => s + p.filter((v, i) => v !== i).length, 0);
    expect(moved).toBeGreaterThan(100);
    const ref = readReference(fixture);
    expect(referenceLogitError(await forwardLogits(await openCheckpoint(dir), ref.input_ids), ref)).toBeLessThanOrEqual(1e-4);
  });

  it('aligned back onto the original, equals the original bit for bit', async () => {
    const { dir } = await permutedCopy(fixture, 2);
    const out = join(await makeTempDir('aligned'), 'out');
    const res = await alignCheckpoint(join(FIXTURES, fixture), dir, out, { seed: 3 });
    expect(res.converged).toBe(true);
    expect(res.objective).toBeGreaterThan(res.initialObjective);
    const want = await readCheckpointRaw(join(FIXTURES, fixture));
    const got = await readCheckpointRaw(out);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [name, t] of want) expect(Buffer.from(got.get(name)!.bytes).equals(Buffer.from(t.bytes)), name).toBe(true);
    const summary = JSON.parse(await readFile(join(out, 'permutations.json'), 'utf8')) as { permutations: Record<string, number[]> };
    expect(Object.keys(summary.permutations)).toContain('residual');
  });
});

it('keeps the dtype: a BF16 model aligned to itself is unchanged, bit for bit', async () => {
  const fixture = join(FIXTURES, 'tiny-llama-bf16');
  const out = join(await makeTempDir('aligned-bf16'), 'out');
  const res = await alignCheckpoint(fixture, fixture, out);
  expect(res.sweeps).toBe(1);
  const want = await readCheckpointRaw(fixture);
  const got = await readCheckpointRaw(out);
  for (const [name, t] of want) {
    expect(got.get(name)!.dtype).toBe('BF16');
    expect(Buffer.from(got.get(name)!.bytes).equals(Buffer.from(t.bytes)), name).toBe(true);
  }
});

it('moves 8-byte elements exactly: an F64 permuted copy aligns back to the original values', async () => {
  const { dir } = await permutedCopy('tiny-qwen2', 5, 'F64');
  const out = join(await makeTempDir('aligned-f64'), 'out');
  await alignCheckpoint(join(FIXTURES, 'tiny-qwen2'), dir, out);
  const want = await readCheckpointF32(join(FIXTURES, 'tiny-qwen2'));
  const got = await readCheckpointRaw(out);
  for (const [name, values] of want) {
    expect(got.get(name)!.dtype).toBe('F64');
    const f64 = new Float64Array(got.get(name)!.bytes.slice().buffer);
    expect(Array.from(f64), name).toEqual(Array.from(values));
  }
});
