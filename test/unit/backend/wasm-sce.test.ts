/** SCE's primitives (populationVariance, keepNonzero, electedWeightedMean): WasmBackend writes TsBackend's bits. */
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
const MODELS = [1, 2, 3, 5];
const NAN_BITS = [0x7fc00000, 0xffc00000, 0x7fc12345, 0xffa5a5a5, 0x7f800001];

/**
 * k task vectors: random patterns with special values, plus stretches where every model takes one
 * of a few values (±0, ±1, ±2, NaNs of several payloads, ±Inf, a subnormal) so that sums cancel,
 * signs tie, two NaNs meet and an infinity meets its opposite. The first s² elements of models
 * 0 and 1 (s = SPECIAL_BITS.length) pair every special value with every other.
 */
function taskVectors(k: number, n: number, seed: number): Uint32Array[] {
  const next = rng(seed);
  const few = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x40000000, 0xc0000000, 0x7f800000, 0xff800000, 0x00000001, ...NAN_BITS];
  const s = SPECIAL_BITS.length;
  return Array.from({ length: k }, (_, i) => {
    const v = mixedBits(n, seed * 131 + i);
    for (let j = 0; j < n; j++) {
      if (j < s * s && i < 2) v[j] = SPECIAL_BITS[i === 0 ? j % s : Math.floor(j / s)];
      else if (next() % 3 === 0) v[j] = few[next() % few.length];
    }
    return v;
  });
}

function load(be: Backend, vectors: Uint32Array[]): Float32Array[] {
  return vectors.map((v, i) => loadF32(be, 10 + i, v));
}

function variance(be: Backend, vectors: Uint32Array[], n: number): { v: Float32Array; nonzero: number } {
  const v = be.f32(0, n);
  const nonzero = be.populationVariance(load(be, vectors), n, v);
  return { v, nonzero };
}

function mean(be: Backend, vectors: Uint32Array[], omega: number[], b: Uint32Array, n: number): Float32Array {
  const out = loadF32(be, 1, b);
  be.electedWeightedMean(load(be, vectors), omega, n, out);
  return out;
}

/** Weights as sce computes them (ω_i = mean_i / Σ, rounded once) and the edges of the 1e-6 floor, NaN and ±Inf. */
function weightSets(k: number, seed: number): number[][] {
  const next = rng(seed);
  const f = (x: number) => Math.fround(x);
  const pick = (vals: number[]) => Array.from({ length: k }, (_, i) => vals[(i + (next() % vals.length)) % vals.length]);
  const nans = Array.from(new Float32Array(new Uint32Array(NAN_BITS).buffer));
  return [
    Array.from({ length: k }, () => f(1 / k)),
    Array.from({ length: k }, () => f(next() / 2 ** 32)),
    pick([f(1e-6), f(5e-7), f(1e-7), 1e-45, 0, -0, 2.5]),
    pick([...nans, 0.5, Infinity, -Infinity, -0.25]),
  ];
}

describe('WasmBackend SCE primitives are bit-identical to TsBackend', () => {
  it('populationVariance: every length and k = 1, 2, 3, 5, special values and NaN payloads', () => {
    for (const k of MODELS) {
      for (const n of LENGTHS) {
        const vectors = taskVectors(k, n, k * 7919 + n);
        const want = variance(ts, vectors, n);
        const got = variance(wasm, vectors, n);
        const what = `populationVariance k=${k} n=${n}`;
        sameBits(got.v, want.v, n * 4, what);
        expect(got.nonzero, what).toBe(want.nonzero);
      }
    }
  });

  it('populationVariance of no model at all (1/0 in both)', () => {
    const want = variance(ts, [], 9);
    const got = variance(wasm, [], 9);
    sameBits(got.v, want.v, 9 * 4, 'populationVariance k=0');
    expect(got.nonzero).toBe(want.nonzero);
  });

  it('electedWeightedMean: every length and k = 1, 2, 3, 5, weights at the 1e-6 floor, NaN and ±Inf', () => {
    for (const k of MODELS) {
      for (const n of LENGTHS) {
        const vectors = taskVectors(k, n, k * 104729 + n);
        const b = mixedBits(n, n + 17);
        for (const [w, omega] of weightSets(k, k + n).entries()) {
          const want = mean(ts, vectors, omega, b, n);
          const got = mean(wasm, vectors, omega, b, n);
          sameBits(got, want, n * 4, `electedWeightedMean k=${k} n=${n} weights #${w} ${omega.join(',')}`);
        }
      }
    }
  });

  it('keepNonzero: zeroes every model where the mask is ±0, NaN masks keep', () => {
    for (const k of MODELS) {
      for (const n of LENGTHS) {
        const vectors = taskVectors(k, n, k * 31 + n);
        const mask = mixedBits(n, n + 3);
        const next = rng(n);
        for (let j = 0; j < n; j++) if (next() % 3 === 0) mask[j] = next() & 1 ? 0x80000000 : 0;
        const run = (be: Backend) => {
          const taus = load(be, vectors);
          be.keepNonzero(taus, loadF32(be, 0, mask), n);
          return taus;
        };
        const want = run(ts);
        const got = run(wasm);
        for (let i = 0; i < k; i++) sameBits(got[i], want[i], n * 4, `keepNonzero k=${k} n=${n} model ${i}`);
      }
    }
  });

  it('rejects buffers that are not its views and outputs that overlap an input', () => {
    const t = wasm.f32(10, 16);
    const v = wasm.f32(0, 16);
    expect(() => wasm.populationVariance([new Float32Array(16)], 16, v)).toThrow(/not a view/);
    expect(() => wasm.populationVariance([t], 16, t)).toThrow(/overlap/);
    expect(() => wasm.electedWeightedMean([t], [1], 16, t.subarray(4))).toThrow(/overlap/);
    expect(() => wasm.electedWeightedMean([t], [], 16, v)).toThrow(/weights/);
    expect(() => wasm.keepNonzero([t], t, 16)).toThrow(/overlap/);
  });
});

describe('SCE primitives, hand-computed', () => {
  for (const be of [ts, () => wasm] as const) {
    const name = typeof be === 'function' ? 'wasm' : 'ts';
    const backend = (): Backend => (typeof be === 'function' ? be() : be);

    it(`${name}: variance of (1, 3), (2, 2), (−1, 0.5), (4, ·) and the nonzero count`, () => {
      const b = backend();
      const t0 = b.f32(10, 4);
      const t1 = b.f32(11, 4);
      t0.set([1, 2, -1, 4]);
      t1.set([3, 2, 0.5, 4]);
      const v = b.f32(0, 4);
      // μ = 2, 2, −0.25, 4; v = (1 + 1)/2, 0, (0.5625 + 0.5625)/2, 0.
      expect(b.populationVariance([t0, t1], 4, v)).toBe(2);
      expect([...v.subarray(0, 4)]).toEqual([1, 0, 0.5625, 0]);
    });

    it(`${name}: elected disjoint mean with the 1e-6 floor`, () => {
      const b = backend();
      const t0 = b.f32(10, 5);
      const t1 = b.f32(11, 5);
      t0.set([1, -1, 2, 0, 4]);
      t1.set([3, 2, -3, 0, 0]);
      const out = b.f32(1, 5);
      out.set([10, 10, 10, 10, 10]);
      const f = Math.fround;
      b.electedWeightedMean([t0, t1], [0.25, 0.75], 4, out);
      // Σ τ = 4: both kept, (0.25 + 2.25)/1; Σ τ = 1: only τ_1 = 2, 1.5/0.75; Σ τ = −1: only
      // τ_1 = −3, −2.25/0.75; all zero: nothing kept, 0/1e-6.
      expect([...out.subarray(0, 4)]).toEqual([12.5, 12, 7, 10]);
      // ω_0 = 1e-8 < 1e-6: divided by the floor instead of by Σ ω m.
      const w0 = f(1e-8);
      b.electedWeightedMean([t0.subarray(4), t1.subarray(4)], [w0, 0.5], 1, out.subarray(4));
      expect(out[4]).toBe(f(10 + f(f(w0 * 4) / f(1e-6))));
    });

    it(`${name}: keepNonzero clears where the mask is ±0 only`, () => {
      const b = backend();
      const t0 = b.f32(10, 4);
      t0.set([1, -2, 3, NaN]);
      const mask = b.f32(0, 4);
      mask.set([0, -0, NaN, 0.5]);
      b.keepNonzero([t0], mask, 4);
      expect([...t0.subarray(0, 4)]).toEqual([0, 0, 3, NaN]);
      expect(Object.is(t0[1], 0)).toBe(true);
    });
  }
});
