import { beforeAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { BLOCK } from '../../../electron/engine/backend/types.js';
import { loadF32, mixedBits, rng } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
const ts = new TsBackend();
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

const LENGTHS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, BLOCK - 1, BLOCK, BLOCK + 1, BLOCK + 2, BLOCK + 3, 3 * BLOCK + 5, 4 * BLOCK, 5 * BLOCK, 9 * BLOCK + 3];

/** Finite values of wildly different magnitudes, so the summation order changes the result. */
function cancelling(n: number, seed: number): Uint32Array {
  const next = rng(seed);
  const f = new Float32Array(n);
  for (let i = 0; i < n; i++) f[i] = (next() / 2 ** 31 - 1) * 2 ** ((next() % 80) - 40);
  return new Uint32Array(f.buffer);
}

describe('WasmBackend block reductions are bit-identical to TsBackend', () => {
  it('dotBlocks, with a running total carried between calls', () => {
    for (const n of LENGTHS) {
      for (const [x, y] of [[cancelling(n, n), cancelling(n, n + 1)], [mixedBits(n, n), mixedBits(n, 2 * n)]]) {
        for (const total of [0, -0, 1.5, -1e-300]) {
          const want = ts.dotBlocks(loadF32(ts, 0, x), loadF32(ts, 1, y), n, total);
          const got = wasm.dotBlocks(loadF32(wasm, 0, x), loadF32(wasm, 1, y), n, total);
          expect(Object.is(got, want), `n=${n} total=${total}: ${got} vs ${want}`).toBe(true);
        }
      }
    }
  });

  it('absSumBlocks, with a running total carried between calls', () => {
    for (const n of LENGTHS) {
      for (const x of [cancelling(n, 5 * n), mixedBits(n, 7 * n)]) {
        for (const total of [0, -0, 2.25]) {
          const want = ts.absSumBlocks(loadF32(ts, 0, x), n, total);
          const got = wasm.absSumBlocks(loadF32(wasm, 0, x), n, total);
          expect(Object.is(got, want), `n=${n} total=${total}: ${got} vs ${want}`).toBe(true);
        }
      }
    }
  });

  it('follows the lane order of types.ts, not a plain left-to-right sum (hand-computed)', () => {
    // Block [2^53, 1, 1, 1, -2^53, 1, 1, 1]: lane0 = 2^53 - 2^53 = 0; lanes 1..3 = 2 each.
    // (0 + 2) + (2 + 2) = 6, whereas a sequential float64 sum gives 3 (2^53 + 1 rounds back to 2^53, ties to even).
    const x = wasm.f32(0, 8);
    x.set([2 ** 53, 1, 1, 1, -(2 ** 53), 1, 1, 1]);
    const ones = wasm.f32(1, 8);
    ones.fill(1);
    expect(wasm.dotBlocks(x, ones, 8, 0)).toBe(6);
    // Lanes restart at each block: block 0 = 2^53 in lane 0; block 1 = 1, 1 in lanes 0, 1 → (1 + 1) = 2,
    // total 2^53 + 2. Lanes carried across blocks would give 2^53 (each + 1 rounds away).
    const big = wasm.f32(2, BLOCK + 2);
    big.fill(0);
    big[0] = 2 ** 53;
    big[BLOCK] = 1;
    big[BLOCK + 1] = -1;
    expect(wasm.absSumBlocks(big, BLOCK + 2, 0)).toBe(2 ** 53 + 2);
  });

  it('returns NaN when an element is NaN and ±Infinity for infinities', () => {
    const x = wasm.f32(0, 4);
    x.set([1, NaN, 2, 3]);
    expect(wasm.absSumBlocks(x, 4, 0)).toBeNaN();
    x.set([1, -Infinity, 2, 3]);
    expect(wasm.absSumBlocks(x, 4, 0)).toBe(Infinity);
  });
});
