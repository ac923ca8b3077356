/**
 * A tensor with a 0 in its shape merges to the same empty tensor under every method that reads a
 * base (TIES, DARE, DELLA, breadcrumbs: methods that look at a whole tensor), and the rest of the
 * model is merged as usual.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSafetensors } from '../helpers/raw-safetensors.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, runCli } from './cli.js';

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
