/**
 * The diagnostics' counting primitives (non-zero coordinates, sign conflicts, DARE's survivors) and
 * the two-vector Gram matrix in one sweep (gramTwo: the same bits as three dotBlocks):
 * the WebAssembly kernels give exactly TsBackend's counts, on values with zeros of both signs,
 * NaN and infinities, for any number of vectors and lengths with and without a tail; and the
 * counts match hand-computed ones.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { keepThreshold } from '../../../electron/engine/backend/float-bits.js';
import { loadF32, mixedBits, rng } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
const ts = new TsBackend();
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

/** Bit patterns with a share of ±0 (task vectors are sparse after trimming). */
function sparseBits(n: number, seed: number): Uint32Array {
  const x = mixedBits(n, seed);
  const next = rng(seed + 7);
  for (let i = 0; i < n; i++) if (next() % 3 === 0) x[i] = next() & 1 ? 0x80000000 : 0;
  return x;
}

describe('signCounts and countKeptRandom', () => {
  it('count as TsBackend does, for 1 to 5 vectors and every tail', () => {
    for (const k of [1, 2, 3, 5]) {
      for (const n of [0, 1, 3, 4, 5, 8, 17, 4096, 10007]) {
        const bits = Array.from({ length: k }, (_, i) => sparseBits(n, 31 * n + i));
        const want = new Array(k + 2).fill(1);
        ts.signCounts(bits.map((b, i) => loadF32(ts, i, b)), n, want);
        const got = new Array(k + 2).fill(1);
        wasm.signCounts(bits.map((b, i) => loadF32(wasm, i, b)), n, got);
        expect(got, `k=${k} n=${n}`).toEqual(want);
      }
    }
    for (const n of [0, 3, 4, 9, 4096, 10007]) {
      for (const [start, density] of [[0, 0.5], [2 ** 32 - 5, 0.3], [123456789, 0.9], [7, 0], [7, 1]]) {
        const x = sparseBits(n, n + 3);
        const key = 0x9e3779b9;
        const t = density === 1 ? 2 ** 32 : keepThreshold(density);
        const want = ts.countKeptRandom(loadF32(ts, 0, x), n, start, key, t);
        expect(wasm.countKeptRandom(loadF32(wasm, 0, x), n, start, key, t), `n=${n} start=${start} d=${density}`).toBe(want);
      }
    }
  });

  it('hand-computed: zeros of either sign are zero, NaN is not; two or more signs meet, some disagree', () => {
    const a = Float32Array.from([1, -0, 0, NaN, -2, 3, 0, 5, -1]);
    const b = Float32Array.from([2, 4, -0, NaN, 1, 0, 0, -5, -1]);
    const counts = [0, 0, 0, 0];
    wasm.signCounts([loadF32(wasm, 0, new Uint32Array(a.buffer)), loadF32(wasm, 1, new Uint32Array(b.buffer))], 9, counts);
    // Non-zero: a at 0, 3, 4, 5, 7, 8 (6); b at 0, 1, 3, 4, 7, 8 (6). Both signed at 0, 4, 7, 8 (NaN is neither): 4; disagree at 4 and 7.
    expect(counts).toEqual([6, 6, 4, 2]);
    // Everything kept (threshold 2^32): the non-zero count; nothing kept: 0.
    expect(wasm.countKeptRandom(loadF32(wasm, 0, new Uint32Array(a.buffer)), 9, 0, 1, 2 ** 32)).toBe(6);
    expect(wasm.countKeptRandom(loadF32(wasm, 0, new Uint32Array(a.buffer)), 9, 0, 1, 0)).toBe(0);
  });
});

describe('gramTwo', () => {
  it('gives the bits of dotBlocks(x, x), (x, y), (y, y), added to running totals, in both backends', () => {
    for (const n of [0, 1, 3, 4, 4095, 4096, 4097, 3 * 4096 + 5, 5 * 4096, 10007]) {
      // Weight-like values and specials; running totals that do not start at 0.
      const x = mixedBits(n, 5 * n + 1);
      const y = mixedBits(n, 5 * n + 2);
      for (const be of [ts, wasm]) {
        const xv = loadF32(be, 0, x);
        const yv = loadF32(be, 1, y);
        const want = [be.dotBlocks(xv, xv, n, 0.5), be.dotBlocks(xv, yv, n, -2), be.dotBlocks(yv, yv, n, 3)];
        const got = [0.5, -2, 3];
        be.gramTwo(xv, yv, n, got);
        expect(got.map((v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v)), `n=${n}`).toEqual(want.map((v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v)));
      }
      // Weight-like only (no NaN): wasm against the reference, exactly.
      const wx = new Float32Array(n).map((_, i) => Math.sin(i + 1) / 8);
      const wy = new Float32Array(n).map((_, i) => Math.cos(3 * i) / 16);
      const want = [0, 0, 0];
      ts.gramTwo(loadF32(ts, 0, new Uint32Array(wx.buffer)), loadF32(ts, 1, new Uint32Array(wy.buffer)), n, want);
      const got = [0, 0, 0];
      wasm.gramTwo(loadF32(wasm, 0, new Uint32Array(wx.buffer)), loadF32(wasm, 1, new Uint32Array(wy.buffer)), n, got);
      expect(got, `n=${n}`).toEqual(want);
    }
  });
});

