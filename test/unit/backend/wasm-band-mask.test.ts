import { beforeAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import type { Backend } from '../../../electron/engine/backend/types.js';
import { loadF32, mixedBits, rng, sameBits, SPECIAL_BITS } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
const ts = new TsBackend();
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

const LENGTHS = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 4096, 10007];

/**
 * Random patterns with repeats of a few magnitudes (both signs): one element in `every` on average
 * (1: every element is one of them, as bf16 task vectors nearly are; 3: ties at the cuts are
 * common; 64: most blocks of sixteen hold none, some hold one).
 */
function tieHeavy(n: number, seed: number, every = 3): Uint32Array {
  const x = mixedBits(n, seed);
  const next = rng(seed + 99);
  const common = [0x3a001234, 0x3c000000, 0x00000000, 0x7fc00000, 0x7fffffff, 0x00000001];
  for (let i = 0; i < n; i++) if (next() % every === 0) x[i] = common[next() % common.length] | (next() & 1 ? 0x80000000 : 0);
  return x;
}

function run(be: Backend, x: Uint32Array, n: number, band: number[], pieces: number[]): { x: Float32Array; band: Uint32Array } {
  const v = loadF32(be, 0, x);
  const b = be.u32(1, 4);
  b.set(band);
  let at = 0;
  for (const len of pieces) {
    be.bandMask(v.subarray(at), len, b);
    at += len;
  }
  return { x: v, band: b };
}

describe('WasmBackend bandMask is bit-identical to TsBackend', () => {
  it('every threshold kind and tie budget, split into pieces', () => {
    const thresholds = [-1, 0, 1, 0x3a001234, 0x3c000000, 0x7f800000, 0x7fc00000, 0x7ffffffe, 0x7fffffff];
    for (const [n, every] of [...LENGTHS.map((n) => [n, 3]), [4096, 64], [10007, 64], [33, 64], [4096, 1], [1000, 2]]) {
      const x = tieHeavy(n, n + 5, every);
      for (const hiT of thresholds) {
        for (const loT of [0x7fffffff, 0x3c000000, 0x3a001234, 0]) {
          // Budgets that run out inside a block of sixteen, at varying lanes (n/7, n/11, 17, 5).
          for (const [hiLeft, loLeft] of [[0, 0], [1, 0], [3, 2], [n, 1], [0xffffffff, 0xffffffff], [Math.floor(n / 7), Math.floor(n / 11)], [17, 5]]) {
            const band = [hiT >>> 0, hiLeft >>> 0, loT >>> 0, loLeft >>> 0];
            const half = n >> 1;
            const pieces = n > 8 ? [half, 3, n - half - 3] : [n];
            const want = run(ts, x, n, band, pieces);
            const got = run(wasm, x, n, band, pieces);
            const what = `bandMask n=${n} band=${band.map((b) => b.toString(16)).join(',')}`;
            expect(sameBits(got.x, want.x, n * 4, what)).toBe(true);
            expect([...got.band.subarray(0, 4)], what).toEqual([...want.band.subarray(0, 4)]);
          }
        }
      }
    }
  });

  it('keeps by rank with ties by lower index (hand-computed)', () => {
    const v = wasm.f32(0, 8);
    v.set([1, -2, 2, 0.5, -2, 3, 2, -1]);
    const band = wasm.u32(1, 4);
    // Top 4: 3, then the first three of |x| = 2 ... minus the top 1 (the 3).
    band.set([0x40000000, 3, 0x40400000, 1]);
    wasm.bandMask(v, 8, band);
    expect([...v.subarray(0, 8)]).toEqual([0, -2, 2, 0, -2, 0, 0, 0]);
    expect([band[1], band[3]]).toEqual([0, 0]);
    expect(Object.is(v[0], 0)).toBe(true);
  });
});

describe('WasmBackend div is bit-identical to TsBackend', () => {
  it('div, special values both ways round', () => {
    for (const n of [...LENGTHS, 5000]) {
      const a = mixedBits(n, 3 * n + 1);
      const b = mixedBits(n, 3 * n + 2);
      const s = SPECIAL_BITS.length;
      for (let i = 0; i < Math.min(n, s * s); i++) {
        a[i] = SPECIAL_BITS[i % s];
        b[i] = SPECIAL_BITS[Math.floor(i / s)];
      }
      const want = loadF32(ts, 0, a);
      ts.div(want, loadF32(ts, 1, b), n);
      const got = loadF32(wasm, 0, a);
      wasm.div(got, loadF32(wasm, 1, b), n);
      expect(sameBits(got, want, n * 4, `div n=${n}`)).toBe(true);
    }
  });
});
