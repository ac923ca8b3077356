/**
 * Re-Basin on the PyTorch fixtures: a randomly permuted model computes the reference logits
 * (1e-4), and aligning it back onto the original recovers the original exactly, bit for bit.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { alignCheckpoint } from '../../../electron/engine/rebasin/align-checkpoint.js';
import { readCheckpointF32, readCheckpointRaw } from '../../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { FIXTURES, readReference } from '../probe/fixture-forward.js';
import { permutedCopy } from './permuted-copy.js';
import { forwardLogits, referenceLogitError } from './lm-forward.js';

afterAll(removeTempDirs);

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
