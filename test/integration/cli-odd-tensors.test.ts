/**
 * Odd tensors and sizes: a tensor with a 0 in its shape merges to the same empty tensor under every
 * method that looks at a whole tensor (TIES, DARE, DELLA, breadcrumbs); a tensor that is float in
 * one model and integer in another is refused before anything is written; a shard size under one
 * byte is a usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSafetensors } from '../helpers/raw-safetensors.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, jsonLines, runCli } from './cli.js';

let dir: string;

/** A model of two tensors: `w` (4 float32 values) and `empty` of shape [0, 4]. */
async function model(name: string, w: number[]): Promise<void> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  const data = new Uint8Array(new Float32Array(w).buffer);
  const header = { w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] }, empty: { dtype: 'F32', shape: [0, 4], data_offsets: [16, 16] } };
  await writeFile(join(folder, 'model.safetensors'), rawSafetensors(header, data));
}

function header(path: string): Record<string, { dtype: string; shape: number[]; data_offsets: number[] }> {
  const bytes = readFileSync(path);
  const n = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
}

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-empty-tensor');
  await model('base', [0, 0, 0, 0]);
  await model('a', [1, 2, 3, 4]);
  await model('b', [1, 2, 3, 4]);
});
afterAll(removeTempDirs);

describe('an empty tensor', () => {
  for (const method of ['ties', 'dare_ties', 'dare_linear', 'della', 'breadcrumbs_ties']) {
    it(`${method} (density 0.5): exit 0, the empty tensor written with its shape`, async () => {
      const recipe = join(dir, `${method}.yaml`);
      const extra = method.startsWith('della') ? ', epsilon: 0.1' : method.startsWith('breadcrumbs') ? ', gamma: 0.01' : '';
      await writeFile(
        recipe,
        `merge_method: ${method}\nbase_model: base\nmodels:\n  - model: a\n    parameters: {weight: 1, density: 0.5${extra}}\n  - model: b\n    parameters: {weight: 1, density: 0.5${extra}}\n`,
      );
      const out = join(dir, `out-${method}`);
      const r = await runCli(['merge', recipe, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const h = header(join(out, 'model.safetensors'));
      expect(h.empty.shape).toEqual([0, 4]);
      expect(h.empty.data_offsets[0]).toBe(h.empty.data_offsets[1]);
      expect(h.w.shape).toEqual([4]);
    });
  }
});

describe('a tensor that is float in one model and integer in another', () => {
  it('is refused before anything is written: exit 2, the --json error naming the file and tensor', async () => {
    const folder = join(dir, 'int');
    await mkdir(folder, { recursive: true });
    const header = { w: { dtype: 'I64', shape: [4], data_offsets: [0, 32] }, empty: { dtype: 'F32', shape: [0, 4], data_offsets: [32, 32] } };
    await writeFile(join(folder, 'model.safetensors'), rawSafetensors(header, 32));
    const recipe = join(dir, 'int.yaml');
    await writeFile(recipe, 'merge_method: linear\nmodels:\n  - model: a\n    parameters: {weight: 1}\n  - model: int\n    parameters: {weight: 1}\n');
    const out = join(dir, 'out-int');
    const r = await runCli(['merge', recipe, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(2);
    const last = jsonLines(r.stdout).at(-1)!;
    expect(last).toMatchObject({ type: 'error', file: folder, tensor: 'w' });
    expect(String(last.message)).toContain("tensor 'w' is F32 in 'a' but I64 in 'int'");
    expect(existsSync(out)).toBe(false);
  });
});

describe('--shard-size', () => {
  it.each(['0', '0KB', '0.5'])('%s is a usage error (exit 2), not an internal one', async (size) => {
    const recipe = join(dir, 'shard.yaml');
    await writeFile(recipe, 'merge_method: linear\nmodels:\n  - model: a\n    parameters: {weight: 1}\n  - model: b\n    parameters: {weight: 1}\n');
    const r = await runCli(['merge', recipe, '--out', join(dir, 'out-shard'), '--shard-size', size]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--shard-size must be at least 1 byte');
  });
});
