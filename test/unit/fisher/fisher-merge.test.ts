/** fisherMerge (`crucible fisher merge`, a Fisher recipe through runMerge) end to end: hand-made Fisher files on two tiny Llama checkpoints, the output checked elementwise; and its refusals. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFisherFile } from '../../../electron/engine/fisher/fisher-file.js';
import { fisherMerge } from '../../../electron/engine/fisher/fisher-merge.js';
import { InputError } from '../../../electron/engine/io/types.js';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../../helpers/hf-checkpoint.js';
import { readCheckpointF32 } from '../../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

async function fisherFile(dir: string, name: string, ck: BuiltCheckpoint, value: (tensor: string, k: number) => number): Promise<string> {
  const path = join(dir, name);
  const tensors = [...ck.tensors].map(([t, v]) => ({ name: t, shape: ck.shapes.get(t)!, values: Float32Array.from(v, (_, k) => value(t, k)) }));
  await writeFisherFile(path, tensors, { estimator: 'hand-made', model: ck.dir, count: 1, sources: [] });
  return path;
}

describe('fisherMerge', () => {
  it('weights each element by w·(F + ε): F = 1 vs 3 gives (x₁ + 3x₂)/4; zero Fisher gives the weighted mean', async () => {
    const a = await makeLlamaCheckpoint({ seed: 1 });
    const b = await makeLlamaCheckpoint({ seed: 2 });
    const dir = await makeTempDir('fisher-merge');
    // Even elements: F = 1 and 3; odd elements: F = 0 for both (so weights 1 and 1 give the plain mean).
    const fa = await fisherFile(dir, 'fa.safetensors', a, (_, k) => (k % 2 === 0 ? 1 : 0));
    const fb = await fisherFile(dir, 'fb.safetensors', b, (_, k) => (k % 2 === 0 ? 3 : 0));
    const out = join(dir, 'merged');
    const progress: string[] = [];
    const res = await fisherMerge(
      [
        { model: a.dir, fisher: fa },
        { model: b.dir, fisher: fb },
      ],
      out,
      { onProgress: (e) => progress.push(e.name) },
    );
    expect(res.tensors).toBe(a.tensors.size);
    expect(progress).toHaveLength(a.tensors.size);
    const merged = await readCheckpointF32(out);
    for (const [name, x1] of a.tensors) {
      const x2 = b.tensors.get(name)!;
      const got = merged.get(name)!;
      for (let k = 0; k < x1.length; k++) {
        const want = k % 2 === 0 ? (x1[k] + 3 * x2[k]) / 4 : (x1[k] + x2[k]) / 2;
        expect(Math.abs(got[k] - want), `${name}[${k}]`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
      }
    }
  });

  it('refuses a Fisher file that misses a tensor or has another shape, naming file and tensor', async () => {
    const a = await makeLlamaCheckpoint({ seed: 1 });
    const dir = await makeTempDir('fisher-merge-bad');
    const missing = join(dir, 'missing.safetensors');
    const tensors = [...a.tensors].filter(([t]) => t !== 'model.norm.weight').map(([t, v]) => ({ name: t, shape: a.shapes.get(t)!, values: v }));
    await writeFisherFile(missing, tensors, { estimator: 'x', model: a.dir, count: 1, sources: [] });
    const err = await fisherMerge([{ model: a.dir, fisher: missing }], join(dir, 'o')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ file: missing, tensor: 'model.norm.weight' });

    const wrong = join(dir, 'wrong.safetensors');
    await writeFisherFile(
      wrong,
      [...a.tensors].map(([t, v]) => ({ name: t, shape: t === 'lm_head.weight' ? [v.length] : a.shapes.get(t)!, values: v })),
      { estimator: 'x', model: a.dir, count: 1, sources: [] },
    );
    await expect(fisherMerge([{ model: a.dir, fisher: wrong }], join(dir, 'o'))).rejects.toThrow(/lm_head\.weight.*shape/);
  });

  it('refuses negative and all-zero weights before writing anything', async () => {
    const a = await makeLlamaCheckpoint({ seed: 1 });
    const dir = await makeTempDir('fisher-merge-w');
    const fa = await fisherFile(dir, 'fa.safetensors', a, () => 1);
    await expect(fisherMerge([{ model: a.dir, fisher: fa, weight: -1 }], join(dir, 'o'))).rejects.toThrow(/parameter 'weight' must be in \[0, ∞\), got -1/);
    await expect(fisherMerge([{ model: a.dir, fisher: fa, weight: 0 }], join(dir, 'o'))).rejects.toThrow(/all 0/);
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });
});
