import { beforeAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { f32Bits } from '../../../electron/engine/backend/float-bits.js';
import { loadF32, mixedBits, sameBits, SPECIAL_BITS } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
const ts = new TsBackend();
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

// Lengths around the SIMD widths (4 lanes, 8-element unrolls) and one large enough to span many vectors.
const LENGTHS = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 4096, 10007];
const SCALARS = [0, -0, 1, -1, 0.3, 1 / 3, -2.5e-3, 1e30, 1e-40, 3.4028236e38, Infinity, -Infinity, NaN, 0.30000001192092896];

/** Every pair of special values, both ways round, then random patterns. */
function pairs(n: number, seed: number): [Uint32Array, Uint32Array] {
  const a = mixedBits(n, seed);
  const b = mixedBits(n, seed + 1);
  const s = SPECIAL_BITS.length;
  for (let i = 0; i < Math.min(n, s * s); i++) {
    a[i] = SPECIAL_BITS[i % s];
    b[i] = SPECIAL_BITS[Math.floor(i / s)];
  }
  return [a, b];
}

describe('WasmBackend elementwise primitives are bit-identical to TsBackend', () => {
  it('sub', () => {
    for (const n of [...LENGTHS, 5000]) {
      const [a, b] = pairs(n, n);
      const want = ts.f32(2, n);
      ts.sub(loadF32(ts, 0, a), loadF32(ts, 1, b), want, n);
      const got = wasm.f32(2, n);
      wasm.sub(loadF32(wasm, 0, a), loadF32(wasm, 1, b), got, n);
      expect(sameBits(got, want, n * 4, `sub n=${n}`)).toBe(true);
    }
  });

  it('add (in place)', () => {
    for (const n of [...LENGTHS, 5000]) {
      const [a, b] = pairs(n, 7 * n + 1);
      const want = loadF32(ts, 0, a);
      ts.add(want, loadF32(ts, 1, b), n);
      const got = loadF32(wasm, 0, a);
      wasm.add(got, loadF32(wasm, 1, b), n);
      expect(sameBits(got, want, n * 4, `add n=${n}`)).toBe(true);
    }
  });

  it('scale, scaleTo and axpy for every scalar, NaN and infinities included', () => {
    for (const n of LENGTHS) {
      const [a, b] = pairs(n, 3 * n + 2);
      for (const c of SCALARS) {
        const w1 = loadF32(ts, 0, a);
        ts.scale(w1, c, n);
        const g1 = loadF32(wasm, 0, a);
        wasm.scale(g1, c, n);
        sameBits(g1, w1, n * 4, `scale c=${c} n=${n}`);

        const w2 = ts.f32(2, n);
        ts.scaleTo(w2, c, loadF32(ts, 1, b), n);
        const g2 = wasm.f32(2, n);
        wasm.scaleTo(g2, c, loadF32(wasm, 1, b), n);
        sameBits(g2, w2, n * 4, `scaleTo c=${c} n=${n}`);

        const w3 = loadF32(ts, 0, a);
        ts.axpy(w3, c, loadF32(ts, 1, b), n);
        const g3 = loadF32(wasm, 0, a);
        wasm.axpy(g3, c, loadF32(wasm, 1, b), n);
        sameBits(g3, w3, n * 4, `axpy c=${c} n=${n}`);
      }
    }
  });

  it('every ordered pair of special values, NaN payloads included, in the scalar tail and in a full vector', () => {
    const s = SPECIAL_BITS.length;
    for (const n of [1, 8]) {
      for (let p = 0; p < s; p++) {
        const a = new Uint32Array(n).fill(SPECIAL_BITS[p]);
        for (let q = 0; q < s; q++) {
          const b = new Uint32Array(n).fill(SPECIAL_BITS[q]);
          const c = new Float32Array(new Uint32Array([SPECIAL_BITS[q]]).buffer)[0];
          const label = `a=0x${SPECIAL_BITS[p].toString(16)} b=0x${SPECIAL_BITS[q].toString(16)} n=${n}`;
          const w = ts.f32(2, n);
          const g = wasm.f32(2, n);
          ts.sub(loadF32(ts, 0, a), loadF32(ts, 1, b), w, n);
          wasm.sub(loadF32(wasm, 0, a), loadF32(wasm, 1, b), g, n);
          sameBits(g, w, n * 4, `sub ${label}`);
          for (const op of ['add', 'scale', 'scaleTo', 'axpy'] as const) {
            const wd = loadF32(ts, 0, a);
            const gd = loadF32(wasm, 0, a);
            if (op === 'add') {
              ts.add(wd, loadF32(ts, 1, b), n);
              wasm.add(gd, loadF32(wasm, 1, b), n);
            } else if (op === 'scale') {
              ts.scale(wd, c, n);
              wasm.scale(gd, c, n);
            } else if (op === 'scaleTo') {
              ts.scaleTo(wd, c, loadF32(ts, 1, a), n);
              wasm.scaleTo(gd, c, loadF32(wasm, 1, a), n);
            } else {
              ts.axpy(wd, c, loadF32(ts, 1, b), n);
              wasm.axpy(gd, c, loadF32(wasm, 1, b), n);
            }
            sameBits(gd, wd, n * 4, `${op} ${label}`);
          }
        }
      }
    }
  });

  it('axpy rounds the product before the sum (no fused multiply-add)', () => {
    // c·x = (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: float32 rounds the product to 1 + 2^-11 (a tie, to even),
    // then 1 + 2^-11 − (1 + 2^-11) = 0; a fused multiply-add would give 2^-24.
    const c = 1 + 2 ** -12;
    const dst = wasm.f32(0, 9);
    const x = wasm.f32(1, 9);
    dst.fill(-(1 + 2 ** -11));
    x.fill(c);
    wasm.axpy(dst, c, x, 9);
    expect(Array.from(dst.subarray(0, 9))).toEqual(new Array(9).fill(0));
  });

  it('scale rounds c to float32 once (0.1 is 0x3dcccccd)', () => {
    const dst = wasm.f32(0, 5);
    dst.fill(1);
    wasm.scale(dst, 0.1, 5);
    expect(f32Bits(dst[4])).toBe(0x3dcccccd);
  });

  it('leaves elements beyond n untouched', () => {
    const dst = wasm.f32(0, 16);
    const x = wasm.f32(1, 16);
    dst.fill(1);
    x.fill(2);
    wasm.add(dst, x, 13);
    expect(Array.from(dst.subarray(0, 16))).toEqual([...new Array(13).fill(3), 1, 1, 1]);
  });
});
