/**
 * Whole-tensor statistics gathered range by range (RangeStatistics), as the executor runs a large
 * tensor on several workers: the state and every partial cross a (simulated) thread boundary by
 * structured clone, ranges start on block boundaries at awkward places, and many entries tie at
 * the threshold across range boundaries. The output must be exactly the single-range result and
 * what an independent brute-force sort (and a hand-written block-order sum) says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MethodId, ResolvedParams } from '../../../../common/methods/types.js';
import { BLOCK } from '../../../../electron/engine/backend/types.js';
import { fmix32, keepThreshold, randomKey } from '../../../../electron/engine/backend/float-bits.js';
import { TsBackend } from '../../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../../electron/engine/backend/wasm-backend.js';
import type { MaskSource } from '../../../../electron/engine/methods/kernel.js';
import { rangeTieBudgets } from '../../../../electron/engine/methods/lib/range-ties.js';
import { ensureKernelsBuilt } from '../../backend/kernels-built.js';
import { bf16, randomVector, rng, sameBits } from './helpers.js';
import { NAME, rangesOf, runSplit, split, type Case } from './range-driver.js';

const fr = Math.fround;

/** Base values away from zero, and δ on a few levels: thousands of entries tie at every magnitude. */
function tiedCase(n: number, levels: number[], seed: number): { base: Float32Array; model: Float32Array; delta: Float32Array } {
  const next = rng(seed);
  const base = Float32Array.from({ length: n }, () => 1 + Math.floor(next() * 8) / 8);
  const delta = Float32Array.from({ length: n }, () => levels[Math.floor(next() * levels.length)] * (next() < 0.5 ? -1 : 1));
  const model = Float32Array.from(base, (b, i) => b + delta[i]);
  for (let i = 0; i < n; i++) if (fr(model[i] - base[i]) !== delta[i]) throw new Error('test data: δ is not exact');
  return { base, model, delta };
}

/** Brute force: indices by |δ| descending, lower index first among equals; keep descending ranks [lo, hi). */
function bruteBand(delta: Float32Array, lo: number, hi: number): Uint8Array {
  const order = Array.from(delta.keys()).sort((i, j) => Math.abs(delta[j]) - Math.abs(delta[i]) || i - j);
  const keep = new Uint8Array(delta.length);
  for (let r = lo; r < hi; r++) keep[order[r]] = 1;
  return keep;
}

/** One model, weight 1, λ 1: the output is b + δ where kept, b elsewhere. */
function expectedOneModel(base: Float32Array, delta: Float32Array, keep: Uint8Array): Float32Array {
  return Float32Array.from(base, (b, i) => (keep[i] ? fr(b + delta[i]) : b));
}

// Awkward splits: a lone block, uneven block counts, a short tail; 13 ranges of one block each.
const N = 9 * BLOCK + 1234;
const SPLITS: number[][] = [[BLOCK, 3 * BLOCK, 2 * BLOCK], [5 * BLOCK, BLOCK], Array(13).fill(BLOCK)];

describe('rangeTieBudgets', () => {
  it('hands the ties to ranges in flat order', () => {
    // 7 ties over ranges holding 3, 0, 5, 2 equal entries: 3, 0, 4, 0.
    expect(rangeTieBudgets(7, [3, 0, 5, 2])).toEqual([3, 0, 4, 0]);
    expect(rangeTieBudgets(0, [3, 1])).toEqual([0, 0]);
    expect(rangeTieBudgets(4, [4])).toEqual([4]);
  });
});

describe('TIES trimming split into ranges', () => {
  // Levels {0.25, 0.5, 0.75}: the cut falls inside a level shared by ~N/3 entries in every range.
  const { base, model, delta } = tiedCase(N, [0.25, 0.5, 0.75], 11);
  for (const density of [0.1, 0.5, 0.77, 0.9]) {
    it(`density ${density}: every split keeps exactly the brute-force top ⌊d·n⌋`, () => {
      const k = Math.floor(density * N);
      const want = expectedOneModel(base, delta, bruteBand(delta, 0, k));
      const c: Case = { method: 'ties', base, models: [model], modelParams: [{ weight: 1, density }] };
      for (const lengths of SPLITS) expect(sameBits(runSplit(c, rangesOf(N, lengths)), want), String(lengths)).toBe(true);
      expect(sameBits(runSplit(c, [[0, N]]), want)).toBe(true);
    });
  }

  it('a cut on a bin edge (no second pass) splits too', () => {
    // Two magnitudes in different high-16-bit bins; density keeps exactly the larger ones.
    const n = 4 * BLOCK + 100;
    const b = new Float32Array(n).fill(1);
    const d = Float32Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0.5 : 0.25));
    const x = Float32Array.from(b, (v, i) => v + d[i]);
    const large = d.filter((v) => v === 0.5).length;
    const c: Case = { method: 'ties', base: b, models: [x], modelParams: [{ weight: 1, density: large / n + 1e-9 }] };
    const want = expectedOneModel(b, d, bruteBand(d, 0, large));
    expect(sameBits(runSplit(c, rangesOf(n, [BLOCK, 2 * BLOCK])), want)).toBe(true);
  });
});

describe('breadcrumbs (two cuts) split into ranges', () => {
  const { base, model, delta } = tiedCase(N, [0.125, 0.25, 0.5, 0.75], 12);
  it('keeps the brute-force band of ranks [top, n − bottom) for every split', () => {
    const density = 0.6;
    const gamma = 0.15;
    const keep = Math.floor(density * N);
    const top = Math.floor(gamma * N);
    const want = expectedOneModel(base, delta, bruteBand(delta, top, top + keep));
    const c: Case = { method: 'breadcrumbs', base, models: [model], modelParams: [{ weight: 1, density, gamma }], global: { normalize: false } };
    for (const lengths of SPLITS) expect(sameBits(runSplit(c, rangesOf(N, lengths)), want), String(lengths)).toBe(true);
  });
});

/** Σ|v| by the spec's block convention, written out here: lanes i mod 4 per block, (l0 + l1) + (l2 + l3), blocks in order. */
function blockL1(v: Float32Array): number {
  let total = 0;
  for (let b = 0; b < v.length; b += BLOCK) {
    const lanes = [0, 0, 0, 0];
    for (let i = b; i < Math.min(v.length, b + BLOCK); i++) lanes[(i - b) % 4] += Math.abs(v[i]);
    total += lanes[0] + lanes[1] + (lanes[2] + lanes[3]);
  }
  return total;
}

describe('the l1 rescale split into ranges', () => {
  // Each block's magnitudes on their own scale (1e-6 … 1e6): adding the block sums in any other
  // order than the blocks' (e.g. range by range) rounds differently.
  const n = N;
  const next = rng(5);
  const base = Float32Array.from({ length: n }, () => 1 + next());
  const model = Float32Array.from(base, (b, i) => b + (next() - 0.5) * 10 ** ((Math.floor(i / BLOCK) * 5) % 13 - 6));
  const delta = Float32Array.from(base, (b, i) => fr(model[i] - b));
  const kept = (j: number) => (j * 2654435761) % 7 < 4;
  const maskSource: MaskSource = (_m, start, len, keep) => {
    for (let i = 0; i < len; i++) keep[i] = kept(start + i) ? 1 : 0;
  };

  it('dare_linear with rescale_norm l1: survivors × ‖δ‖₁/‖δ⊙m‖₁, the norms summed in block order', () => {
    const masked = Float32Array.from(delta, (d, j) => (kept(j) ? d : 0));
    const factor = fr(blockL1(delta) / blockL1(masked));
    const want = Float32Array.from(base, (b, j) => (kept(j) ? fr(b + fr(factor * delta[j])) : b));
    const c: Case = {
      method: 'dare_linear',
      base,
      models: [model],
      modelParams: [{ weight: 1, density: 0.5 }],
      global: { rescale: true, rescale_norm: 'l1', normalize: false },
      maskSource,
    };
    for (const lengths of SPLITS) {
      const { out, state } = split(c, rangesOf(n, lengths));
      // The float64 norms and ratio, before any rounding to float32: block sums added in block order.
      const l1 = (state as { models: { factor: number; norms: { before: number; after: number } }[] }).models[0];
      expect(l1.norms).toEqual({ before: blockL1(delta), after: blockL1(masked) });
      expect(l1.factor).toBe(blockL1(delta) / blockL1(masked));
      expect(sameBits(out, want), String(lengths)).toBe(true);
    }
  });
});

describe('several models, consensus, real random masks: split = whole, bit for bit', () => {
  const n = N;
  const base = bf16(randomVector(n, 1, 0.05));
  const models = [2, 3, 4].map((s) => {
    const d = randomVector(n, s, 0.01);
    return bf16(Float32Array.from(base, (b, i) => b + d[i]));
  });
  const cases: [MethodId, ResolvedParams[], ResolvedParams][] = [
    ['ties', [{ weight: 0.5, density: 0.3 }, { weight: 0.3, density: 0.6 }, { weight: 0.2, density: 0.45 }], {}],
    ['ties', [{ weight: 1, density: 0.5 }, { weight: 1, density: 0.5 }, { weight: 1, density: 0.5 }], { rescale: true }],
    ['breadcrumbs_ties', [{ weight: 0.5, density: 0.7, gamma: 0.02 }, { weight: 0.5, density: 0.6, gamma: 0.1 }, { weight: 0.4, density: 0.5, gamma: 0.05 }], {}],
    ['dare_ties', [{ weight: 0.5, density: 0.4 }, { weight: 0.5, density: 0.7 }, { weight: 0.3, density: 0.5 }], { rescale_norm: 'l1' }],
    ['dare_linear', [{ weight: 0.5, density: 0.4 }, { weight: 0.5, density: 0.7 }, { weight: 0.3, density: 0.5 }], { rescale_norm: 'l1' }],
  ];
  let wasm: WasmBackend;
  beforeAll(() => {
    ensureKernelsBuilt();
    wasm = new WasmBackend();
  });
  for (const [method, modelParams, global] of cases) {
    it(`${method} ${JSON.stringify(global)}`, () => {
      const c: Case = { method, base, models, modelParams, global, seed: 42 };
      const whole = runSplit(c, [[0, n]]);
      for (const lengths of SPLITS) {
        expect(sameBits(runSplit(c, rangesOf(n, lengths)), whole), `ts ${lengths}`).toBe(true);
        expect(sameBits(runSplit({ ...c, chunk: 2 * BLOCK, backend: wasm }, rangesOf(n, lengths)), whole), `wasm ${lengths}`).toBe(true);
      }
    });
  }
});

describe('DARE with the l1 rescale: the one-pass norms (no maskSource) equal the staged path', () => {
  // A maskSource that reproduces the spec's hash mask sends the statistics pass down the staged
  // path (block sums, mask δ, block sums again); without it, whole blocks take both sums in one
  // pass (Backend.keptAbsSumEachBlock). Same mask, so the outputs and the norms must be identical.
  const n = N;
  const seed = 42;
  const base = bf16(randomVector(n, 1, 0.05));
  const models = [2, 3].map((s) => {
    const d = randomVector(n, s, 0.01);
    return bf16(Float32Array.from(base, (b, i) => b + d[i]));
  });
  const densities = [0.4, 0.7];
  const hashMask: MaskSource = (m, start, len, keep) => {
    const key = randomKey(seed, NAME, m);
    const threshold = keepThreshold(densities[m]);
    for (let i = 0; i < len; i++) keep[i] = fmix32(((start + i) ^ key) >>> 0) < threshold ? 1 : 0;
  };
  let wasm: WasmBackend;
  beforeAll(() => {
    ensureKernelsBuilt();
    wasm = new WasmBackend();
  });
  for (const method of ['dare_linear', 'dare_ties'] as const) {
    it(`${method}: every split, chunk and backend gives the staged path's bits and the hand-summed norms`, () => {
      const c: Case = {
        method,
        base,
        models,
        modelParams: densities.map((density) => ({ weight: 0.5, density })),
        global: { rescale: true, rescale_norm: 'l1' },
        seed,
      };
      const { out: want, state: stagedState } = split({ ...c, maskSource: hashMask }, [[0, n]]);
      const norms = (state: unknown) => (state as { models: { norms: { before: number; after: number } }[] }).models.map((m) => m.norms);
      // Independent: the norms summed by hand in block order over δ and the hash-masked δ.
      const hand = models.map((m, i) => {
        const delta = Float32Array.from(m, (x, j) => fr(x - base[j]));
        const keep = new Uint8Array(n);
        hashMask(i, 0, n, keep);
        return { before: blockL1(delta), after: blockL1(delta.map((d, j) => (keep[j] ? d : 0))) };
      });
      expect(norms(stagedState)).toEqual(hand);
      for (const lengths of [[n], ...SPLITS]) {
        for (const [backend, chunk] of [[undefined, BLOCK], [wasm, 2 * BLOCK], [wasm, 3 * BLOCK]] as const) {
          const label = `${backend?.name ?? 'ts'} chunk ${chunk} ${lengths}`;
          const { out, state } = split({ ...c, backend, chunk }, rangesOf(n, lengths));
          expect(norms(state), label).toEqual(hand);
          expect(sameBits(out, want), label).toBe(true);
        }
      }
    });
  }
});

describe('sce split into ranges', () => {
  const ts = new TsBackend();
  /** An independent whole-tensor reference (spec §3): brute-force ranks of v, one dotBlocks over the whole masked τ. */
  function bruteSce(base: Float32Array, models: Float32Array[], topk: number): { out: Float32Array; squares?: number[] } {
    const n = base.length;
    const taus = models.map((m) => Float32Array.from(m, (x, j) => fr(x - base[j])));
    const v = new Float32Array(n);
    const nonzero = ts.populationVariance(taus, n, v);
    // select_topk 1: no mask at all (spec §3).
    const k = topk < 1 ? Math.floor(topk * nonzero) : n;
    const bits = new Uint32Array(v.buffer);
    const order = Array.from(v.keys()).sort((i, j) => (bits[j] & 0x7fffffff) - (bits[i] & 0x7fffffff) || i - j);
    for (let r = k; r < n; r++) for (const t of taus) t[order[r]] = 0;
    // Nothing kept (one model: every variance is 0): the base, and no norms are taken.
    if (k === 0) return { out: base.slice() };
    const squares = taus.map((t) => ts.dotBlocks(t, t, n, 0));
    const means = squares.map((s) => s / n);
    const sum = means.reduce((s, m) => s + m, 0);
    const omega = means.map((m) => fr(sum < 1e-6 ? 1 / models.length : m / sum));
    const out = base.slice();
    ts.electedWeightedMean(taus, omega, n, out);
    return { out, squares };
  }

  // Task vectors on a few levels: the variance takes few values, each shared by thousands of
  // entries in every range, so the cut falls inside a level that spans range boundaries. Levels
  // that are not short binary fractions make the float64 sums of squares round, so that adding
  // them in another order than block order would change ω.
  const next = rng(77);
  const base = Float32Array.from({ length: N }, () => 1 + Math.floor(next() * 8) / 8);
  const modelsOf = (k: number) =>
    Array.from({ length: k }, (_, i) => Float32Array.from(base, (b) => b + [0, 0.1, 0.3, 0.7][Math.floor(next() * 4)] * (next() < 0.5 ? -1 : 1) * (i + 1)));
  let wasm: WasmBackend;
  beforeAll(() => {
    ensureKernelsBuilt();
    wasm = new WasmBackend();
  });
  for (const k of [1, 2, 3]) {
    for (const topk of [0.1, 0.5, 0.77, 1]) {
      it(`${k} model(s), select_topk ${topk}: every split, chunk and backend = the brute-force whole`, () => {
        const models = modelsOf(k);
        const want = bruteSce(base, models, topk);
        const c: Case = { method: 'sce', base, models, global: { select_topk: topk } };
        expect(sameBits(runSplit(c, [[0, N]]), want.out), 'whole').toBe(true);
        for (const lengths of SPLITS) {
          for (const [label, run] of [['ts', c], ['wasm', { ...c, chunk: 2 * BLOCK, backend: wasm }]] as const) {
            const { out, state } = split(run, rangesOf(N, lengths));
            expect(sameBits(out, want.out), `${label} ${lengths}`).toBe(true);
            // The squared norms themselves: one running float64 total over the whole tensor's blocks.
            expect((state as { squares: number[] }).squares, `${label} ${lengths}`).toEqual(want.squares);
          }
        }
      });
    }
  }

  it('nothing survives the mask (k = 0): every range writes the base', () => {
    const models = [base.slice(), base.slice()];
    models[0][5] += 0.5;
    const c: Case = { method: 'sce', base, models, global: { select_topk: 0.5 } };
    for (const lengths of SPLITS) expect(sameBits(runSplit(c, rangesOf(N, lengths)), base), String(lengths)).toBe(true);
  });
});
