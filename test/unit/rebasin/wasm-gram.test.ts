/**
 * The score matrices on the WebAssembly matmul (every product forced onto the SIMD workers): the
 * Gram product against a float64 loop written here, and a permuted fixture aligned back exactly.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmMatmul } from '../../../electron/engine/probe/wasm/wasm-matmul.js';
import { alignCheckpoint } from '../../../electron/engine/rebasin/align-checkpoint.js';
import { matmulGram } from '../../../electron/engine/rebasin/similarity.js';
import { makeRng } from '../../helpers/prng.js';
import { readCheckpointRaw } from '../../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { FIXTURES } from '../probe/fixture-forward.js';
import { permutedCopy } from './permuted-copy.js';

let mm: WasmMatmul;
beforeAll(async () => {
  mm = await WasmMatmul.create({ threads: 2, smallProduct: 0 });
});
afterAll(async () => {
  await mm.close();
  await removeTempDirs();
});

describe('Gram products on the WebAssembly matmul', () => {
  it('adds a·bᵀ to the scores, within float32 rounding of a float64 loop', async () => {
    const rng = makeRng(4);
    const [n, m] = [37, 131];
    const a = rng.floats(n * m);
    const b = rng.floats(n * m);
    const s = new Float64Array(n * n).fill(0.5);
    await matmulGram(mm)(s, a, b, n, m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let want = 0.5;
        let scale = 0;
        for (let k = 0; k < m; k++) {
          want += a[i * m + k] * b[j * m + k];
          scale += Math.abs(a[i * m + k] * b[j * m + k]);
        }
        expect(Math.abs(s[i * n + j] - want)).toBeLessThanOrEqual(1e-6 * scale + 1e-7);
      }
    }
  });

  it('aligns a randomly permuted Llama fixture back onto the original, bit for bit', async () => {
    const { dir } = await permutedCopy('tiny-llama', 9);
    const out = join(await makeTempDir('wasm-align'), 'out');
    const res = await alignCheckpoint(join(FIXTURES, 'tiny-llama'), dir, out, { seed: 1, matmul: mm });
    expect(res.converged).toBe(true);
    const want = await readCheckpointRaw(join(FIXTURES, 'tiny-llama'));
    const got = await readCheckpointRaw(out);
    for (const [name, t] of want) expect(Buffer.from(got.get(name)!.bytes).equals(Buffer.from(t.bytes)), name).toBe(true);
  });
});
