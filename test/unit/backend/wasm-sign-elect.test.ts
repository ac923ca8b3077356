import { beforeAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import type { Backend } from '../../../electron/engine/backend/types.js';
import { loadF32, mixedBits, rng, sameBits } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
const ts = new TsBackend();
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

/** Task vectors with many zeros, ties between signs and special values. */
function taskVectors(k: number, n: number, seed: number): Uint32Array[] {
  const next = rng(seed);
  return Array.from({ length: k }, (_, i) => {
    const v = mixedBits(n, seed * 131 + i);
    for (let j = 0; j < n; j++) {
      const r = next() % 6;
      if (r === 0) v[j] = 0;
      else if (r === 1) v[j] = 0x80000000;
      else if (r === 2) v[j] = 0x3f800000 | ((next() & 1) << 31); // ±1: count ties, sum cancellations
    }
    return v;
  });
}

function run(be: Backend, vectors: Uint32Array[], weights: number[], n: number, consensus: 'sum' | 'count'): [Float32Array, Float32Array] {
  const wd = vectors.map((v, i) => loadF32(be, 10 + i, v));
  const mixed = be.f32(0, n);
  const div = be.f32(1, n);
  be.signElect(wd, weights, n, consensus, mixed, div);
  return [mixed, div];
}

describe('WasmBackend signElect is bit-identical to TsBackend', () => {
  for (const consensus of ['sum', 'count'] as const) {
    it(`consensus '${consensus}', k from 0 to 130, lengths around the vector width`, () => {
      for (const k of [0, 1, 2, 3, 4, 5, 8, 13, 64, 130]) {
        for (const n of [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 1031]) {
          const vectors = taskVectors(k, n, k * 1000 + n);
          const next = rng(k + n);
          const weights = Array.from({ length: k }, (_, i) => [1, 0.3, -0.5, 0, 1e-45, NaN, 2.5][(i + (next() % 7)) % 7]);
          const [wm, wv] = run(ts, vectors, weights, n, consensus);
          const [gm, gv] = run(wasm, vectors, weights, n, consensus);
          sameBits(gm, wm, n * 4, `mixed k=${k} n=${n}`);
          sameBits(gv, wv, n * 4, `div k=${k} n=${n}`);
        }
      }
    });
  }

  it('NaN weights with distinct payloads propagate as in the reference', () => {
    const nanBits = [0x7fc00001, 0xffc00002, 0x7fd00003];
    const nans = Array.from(new Float32Array(new Uint32Array(nanBits).buffer));
    for (const n of [1, 8, 13]) {
      const vectors = [0, 1, 2].map(() => new Uint32Array(n).fill(0x3f800000));
      for (const consensus of ['sum', 'count'] as const) {
        const [wm, wv] = run(ts, vectors, nans, n, consensus);
        const [gm, gv] = run(wasm, vectors, nans, n, consensus);
        sameBits(gm, wm, n * 4, `mixed n=${n}`);
        sameBits(gv, wv, n * 4, `div n=${n}`);
      }
    }
  });

  it('elects by sum or by count (hand-computed)', () => {
    // Element 0: +3, -1, -1 → sum +1 → positive; count 1 vs 2 → negative.
    const vectors = [[3, 0.5], [-1, 0], [-1, -0.5]].map((v) => new Uint32Array(Float32Array.from(v).buffer));
    const weights = [1, 2, 4];
    const [sm, sd] = run(wasm, vectors, weights, 2, 'sum').map((a) => Array.from(a.subarray(0, 2)));
    expect(sm).toEqual([3, 0.5]); // element 1: sum 0 → positive (≥ 0): only +0.5 from model 0
    expect(sd).toEqual([1, 1]);
    const [cm, cd] = run(wasm, vectors, weights, 2, 'count').map((a) => Array.from(a.subarray(0, 2)));
    expect(cm).toEqual([-2, 0.5]); // element 1: one positive, one negative → tie → positive
    expect(cd).toEqual([6, 1]);
  });

  it('divides by 1 where nothing is selected, and may write the output over an input', () => {
    const vectors = [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]].map((v) => new Uint32Array(Float32Array.from(v).buffer));
    const wd = vectors.map((v, i) => loadF32(wasm, 20 + i, v));
    const div = wasm.f32(1, 5);
    wasm.signElect(wd, [2, 3], 5, 'sum', wd[0], div);
    expect(Array.from(wd[0].subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(div.subarray(0, 5))).toEqual([1, 1, 1, 1, 1]);
  });
});

function runMix(
  be: Backend,
  vectors: Uint32Array[],
  baseBits: Uint32Array,
  weights: number[],
  n: number,
  consensus: 'sum' | 'count',
  normalize: boolean,
  lambda: number,
): Float32Array {
  const deltas = vectors.map((v, i) => loadF32(be, 10 + i, v));
  const b = loadF32(be, 2, baseBits);
  be.consensusMix(deltas, weights, n, consensus, normalize, lambda, b, be.f32(0, n), be.f32(1, n));
  return b;
}

describe('WasmBackend consensusMix (one sweep) is bit-identical to the steps one after another in TsBackend', () => {
  for (const consensus of ['sum', 'count'] as const) {
    it(`consensus '${consensus}', normalize on and off, special weights, λ and bases, lengths around the vector width`, () => {
      for (const k of [0, 1, 2, 3, 5, 13]) {
        for (const n of [0, 1, 3, 4, 5, 7, 8, 9, 17, 1031]) {
          const vectors = taskVectors(k, n, k * 1000 + n + 7);
          const base = mixedBits(n, k * 77 + n);
          const next = rng(k + n + 3);
          const weights = Array.from({ length: k }, (_, i) => [1, 0.3, -0.5, 0, 1e-45, NaN, 2.5][(i + (next() % 7)) % 7]);
          for (const normalize of [true, false]) {
            for (const lambda of [1, 0.7, 0, -2, NaN]) {
              const want = runMix(ts, vectors, base, weights, n, consensus, normalize, lambda);
              const got = runMix(wasm, vectors, base, weights, n, consensus, normalize, lambda);
              sameBits(got, want, n * 4, `consensusMix k=${k} n=${n} normalize=${normalize} λ=${lambda}`);
            }
          }
        }
      }
    });
  }

  it('two models by sum: the same bits with NaN-free weights and λ (the unguarded path) as with a NaN among them', () => {
    // NaN, ±Inf and NaN payloads in δ and b; weights and λ either all NaN-free or one of them NaN.
    const n = 4099;
    for (const [weights, lambda] of [
      [[0.5, 0.5], 1],
      [[0.3, -2.5], 0.7],
      [[0, 1e-45], -2],
      [[1, 1], 0],
      [[-0, 0.5], 1],
      [[-0, -0], 2],
      [[0, -0], 1],
      [[1, -1], 1],
      [[NaN, 0.5], 1],
      [[0.5, 0.5], NaN],
    ] as [number[], number][]) {
      const vectors = taskVectors(2, n, 91);
      for (const v of vectors) {
        for (let j = 0; j < n; j += 37) v[j] = [0x7fc00001, 0xffc12345, 0x7f800000, 0xff800000][j % 4];
      }
      const base = mixedBits(n, 5);
      for (const normalize of [true, false]) {
        const want = runMix(ts, vectors, base, weights, n, 'sum', normalize, lambda);
        const got = runMix(wasm, vectors, base, weights, n, 'sum', normalize, lambda);
        sameBits(got, want, n * 4, `consensusMix w=${weights.join(',')} λ=${lambda} normalize=${normalize}`);
      }
    }
  });

  it('by hand: b + λ·(disjoint mean of the elected sign)', () => {
    // δ: model 0 [2, 1], model 1 [-1, 3], model 2 [-4, 0]; weights 1, 1, 0.5 → wd [2, 1], [-1, 3], [-2, 0].
    // Element 0: sum -1 → negative: mean of -1 and -2 over weights 1.5 = -2; b = 10 + 0.5·(-2) = 9.
    // Element 1: sum 4 → positive: (1 + 3) / 2 = 2; b = 20 + 0.5·2 = 21.
    const vectors = [[2, 1], [-1, 3], [-4, 0]].map((v) => new Uint32Array(Float32Array.from(v).buffer));
    const base = new Uint32Array(Float32Array.from([10, 20]).buffer);
    for (const be of [ts, wasm] as Backend[]) {
      expect(Array.from(runMix(be, vectors, base, [1, 1, 0.5], 2, 'sum', true, 0.5).subarray(0, 2))).toEqual([9, 21]);
      // Without normalize: element 0: -3 → 10 − 1.5 = 8.5; element 1: 4 → 22.
      expect(Array.from(runMix(be, vectors, base, [1, 1, 0.5], 2, 'sum', false, 0.5).subarray(0, 2))).toEqual([8.5, 22]);
    }
  });

  it('refuses a base overlapping a task vector', () => {
    const d = wasm.f32(10, 8);
    expect(() => wasm.consensusMix([d], [1], 8, 'sum', true, 1, d.subarray(2), wasm.f32(0, 8), wasm.f32(1, 8))).toThrow(/overlap/);
  });
});
