/**
 * Cuts of large tensors (≥ SAMPLE_MIN elements): a sample predicts the cut's bin and the first
 * full sweep refines it too, so the statistics take one full sweep instead of two. Whatever the
 * prediction, the kept set must be exactly the brute-force top k (an independent numeric sort),
 * whole or split into ranges, on either backend; a wrong prediction only costs the second sweep.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCK } from '../../../../electron/engine/backend/types.js';
import { WasmBackend } from '../../../../electron/engine/backend/wasm-backend.js';
import { SAMPLE_MIN, WINDOW_BINS, findInWindows, predictWindows, rangePieces, samplePieces, windowBinsFor, windowedHigh, type BinWindow } from '../../../../electron/engine/methods/lib/cut-window.js';
import { isPending, planCuts } from '../../../../electron/engine/methods/lib/radix-select.js';
import { ensureKernelsBuilt } from '../../backend/kernels-built.js';
import { rng, sameBits } from './helpers.js';
import { rangesOf, split, type Case } from './range-driver.js';

const fr = Math.fround;
const N = SAMPLE_MIN + 3 * BLOCK + 77;

/** Base in [1, 2) on a grid of 1/8; δ = ±(1 + m/128)·2^−e (bf16-like: ~1000 magnitudes, thousands of ties each), b + δ exact. */
function bf16LikeCase(n: number, seed: number): { base: Float32Array; model: Float32Array; delta: Float32Array } {
  const next = rng(seed);
  const base = new Float32Array(n);
  const delta = new Float32Array(n);
  const model = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    base[i] = 1 + Math.floor(next() * 8) / 8;
    delta[i] = (next() < 0.5 ? -1 : 1) * (1 + Math.floor(next() * 128) / 128) * 2 ** -(2 + Math.floor(next() * 9));
    model[i] = base[i] + delta[i];
    if (fr(model[i] - base[i]) !== delta[i]) throw new Error('test data: δ is not exact');
  }
  return { base, model, delta };
}

/** Keep mask of the r largest |δ|, lower index first among equals, from a plain numeric sort. */
function topR(delta: Float32Array, r: number): Uint8Array {
  const keep = new Uint8Array(delta.length);
  if (r <= 0) return keep;
  const mags = Float32Array.from(delta, Math.abs).sort();
  const t = mags[delta.length - r];
  let above = 0;
  for (const v of mags) if (v > t) above++;
  let ties = r - above;
  for (let i = 0; i < delta.length; i++) {
    const a = Math.abs(delta[i]);
    if (a > t || (a === t && ties-- > 0)) keep[i] = 1;
  }
  return keep;
}

function expectedOneModel(base: Float32Array, delta: Float32Array, keep: Uint8Array): Float32Array {
  return Float32Array.from(base, (b, i) => (keep[i] ? fr(b + delta[i]) : b));
}

type Phase = { models: { phase: string; inner?: { phase: string } }[] };
const phases = (passes: unknown[]) => passes.map((p) => (p as Phase).models[0].inner?.phase ?? (p as Phase).models[0].phase);

let wasm: WasmBackend;
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

describe('TIES on a large tensor: the sample predicts the cut, one full statistics sweep', () => {
  const { base, model, delta } = bf16LikeCase(N, 21);
  const density = 0.37;
  const want = expectedOneModel(base, delta, topR(delta, Math.floor(density * N)));
  const c: Case = { method: 'ties', base, models: [model], modelParams: [{ weight: 1, density }] };

  it('whole: exactly the brute-force top ⌊d·n⌋, after a sample pass and one full pass', () => {
    const run = split(c, [[0, N]]);
    expect(phases(run.passes)).toEqual(['sample', 'high']);
    expect(sameBits(run.out, want)).toBe(true);
  });

  it('split into ranges on the WebAssembly backend: the same bits, still one full pass', () => {
    const run = split({ ...c, backend: wasm, chunk: 4 * BLOCK }, rangesOf(N, [300 * BLOCK, 211 * BLOCK]));
    expect(phases(run.passes)).toEqual(['sample', 'high']);
    expect(sameBits(run.out, want)).toBe(true);
  });

  it('with the l1 rescale the sample and the cut run inside the l1 state: exact survivors', () => {
    const run = split({ ...c, global: { rescale: true } }, rangesOf(N, [512 * BLOCK]));
    expect(phases(run.passes).slice(0, 2)).toEqual(['sample', 'high']);
    const survivors = run.out.reduce((s, v, i) => s + (v !== base[i] ? 1 : 0), 0);
    expect(survivors).toBe(Math.floor(density * N));
  });
});

describe('a wrong prediction falls back to plain radix select and stays exact', () => {
  // The sampled pieces hold only |δ| = 0.5; elsewhere |δ| is 0.25 or 0.125, and the cut falls among
  // the 0.125s: the sample predicts 0.5's bin, the windowed sweep shows the cut below the window.
  const pieces = samplePieces(N);
  const sampled = new Uint8Array(N);
  for (const p of pieces) sampled.fill(1, p.start, p.start + p.len);
  const next = rng(5);
  const base = Float32Array.from({ length: N }, () => 1 + Math.floor(next() * 8) / 8);
  const delta = Float32Array.from({ length: N }, (_, i) => (next() < 0.5 ? -1 : 1) * (sampled[i] ? 0.5 : next() < 0.5 ? 0.25 : 0.125));
  const model = Float32Array.from(base, (b, i) => b + delta[i]);

  it('ties, density 0.8: sample, windowed high, then the whole high histogram and low; the brute-force top k', () => {
    const density = 0.8;
    const want = expectedOneModel(base, delta, topR(delta, Math.floor(density * N)));
    const run = split({ method: 'ties', base, models: [model], modelParams: [{ weight: 1, density }] }, [[0, N]]);
    expect(phases(run.passes)).toEqual(['sample', 'high', 'high', 'low']);
    expect(sameBits(run.out, want)).toBe(true);
  });
});

describe('breadcrumbs on a large tensor: both cuts predicted', () => {
  const { base, model, delta } = bf16LikeCase(N, 22);
  it('keeps exactly the brute-force band of ranks [top, top + keep), whole and split', () => {
    const density = 0.6;
    const gamma = 0.1;
    const keep = Math.floor(density * N);
    const top = Math.floor(gamma * N);
    const upper = topR(delta, top + keep);
    const lower = topR(delta, top);
    const want = expectedOneModel(
      base,
      delta,
      upper.map((u, i) => (u && !lower[i] ? 1 : 0)),
    );
    const c: Case = { method: 'breadcrumbs', base, models: [model], modelParams: [{ weight: 1, density, gamma }], global: { normalize: false } };
    for (const ranges of [[[0, N]] as [number, number][], rangesOf(N, [700 * BLOCK])]) {
      const run = split({ ...c, backend: wasm }, ranges);
      expect(phases(run.passes)).toEqual(['sample', 'high']);
      expect(sameBits(run.out, want)).toBe(true);
    }
  });
});

describe('predictWindows', () => {
  /** A histogram with `count` entries in each of the bins. */
  const hist = (bins: Record<number, number>) => {
    const h = new Uint32Array(65536);
    for (const [b, c] of Object.entries(bins)) h[Number(b)] = c;
    return h;
  };

  it('puts the window on the bin holding the sample quantile of k/n', () => {
    // 1000 sampled entries in bins 100..109 (100 each); k = 25% of n: the 250th largest is in bin 107.
    const sample = hist(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [100 + i, 100])));
    const [w] = predictWindows(sample, [250, 0], 1000);
    expect(findInWindows([w], 107)).toBeDefined();
    expect(w.count).toBeLessThanOrEqual(WINDOW_BINS);
  });

  it('no cut strictly inside (k = 0 or k = n) or an empty sample: no window', () => {
    expect(predictWindows(hist({ 5: 10 }), [0, 0], 100)).toEqual([]);
    expect(predictWindows(hist({ 5: 10 }), [100, 0], 100)).toEqual([]);
    expect(predictWindows(hist({}), [50, 0], 100)).toEqual([]);
  });

  it('two distant cuts get a window each, sharing the bins', () => {
    // Half the sample in bin 10, half in bin 500: cuts at 25% and 75% fall in 500 and 10.
    const windows = predictWindows(hist({ 10: 5000, 500: 5000 }), [2500, 7500], 10000);
    expect(windows.length).toBe(2);
    expect(findInWindows(windows, 10)).toBeDefined();
    expect(findInWindows(windows, 500)).toBeDefined();
    expect(windows.reduce((s, w) => s + w.count, 0)).toBeLessThanOrEqual(WINDOW_BINS);
  });

  it('a tensor split into many ranges gets a narrower window, never none', () => {
    // 128 window histograms held per model in all (a 128256 × 4096 embedding is 32 ranges: 4 bins each).
    expect([1, 8, 32, 64, 100, 200].map(windowBinsFor)).toEqual([WINDOW_BINS, WINDOW_BINS, WINDOW_BINS, 2, 1, 1]);
    const sample = hist(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [100 + i, 100])));
    const [w] = predictWindows(sample, [250, 0], 1000, 1);
    expect(w).toEqual({ first: 107, count: 1 });
  });

  it('samples evenly spaced pieces inside the range, or all of a short one', () => {
    expect(samplePieces(1000)).toEqual([{ start: 0, len: 1000 }]);
    const pieces = samplePieces(1e8);
    expect(pieces.length).toBe(64);
    for (const [i, p] of pieces.entries()) {
      expect(p.start + p.len).toBeLessThanOrEqual(1e8);
      if (i > 0) expect(p.start).toBeGreaterThan(pieces[i - 1].start + pieces[i - 1].len);
    }
    expect(samplePieces(1e8, 4).map((p) => p.start)).toEqual([12499488, 37498464, 62497440, 87496416]);
  });

  it('a range of a split tensor samples its share of the pieces, at least 16', () => {
    expect(rangePieces(1e8, 1e8)).toBe(64);
    expect(rangePieces(5e7, 1e8)).toBe(32);
    expect(rangePieces(2e7, 1e8)).toBe(16);
    expect(rangePieces(4e7, 1e8)).toBe(26);
    // The engine bench's embedding: 128256 × 4096 in ranges of 2^24 (32 ranges, the last shorter).
    expect(rangePieces(1 << 24, 128256 * 4096)).toBe(16);
    // However a tensor is split, its ranges sample at least as many pieces as it would whole.
    for (const [numel, step] of [[1e8, 1 << 24], [525336576, 1 << 24], [5e7, 1e7], [64e6, 63e6]]) {
      let total = 0;
      for (let start = 0; start < numel; start += step) total += rangePieces(Math.min(step, numel - start), numel);
      expect(total, `${numel} in ranges of ${step}`).toBeGreaterThanOrEqual(64);
    }
  });
});

describe('windowedHigh: the windowed sweep locates cuts as the whole high histogram does', () => {
  const BINS = 65536;
  /** Random high histogram over bins [0, 40) with some empty bins. */
  function randomHigh(seed: number): Float64Array {
    const next = rng(seed);
    const h = new Float64Array(BINS);
    for (let b = 0; b < 40; b++) h[b] = next() < 0.3 ? 0 : Math.floor(next() * 50);
    return h;
  }
  /** What the windowed sweep reports: per window, the count above it and its bins' totals. */
  function sweep(high: Float64Array, windows: BinWindow[]): { above: number[]; totals: number[][] } {
    const above = windows.map((w) => high.slice(w.first + w.count).reduce((s, c) => s + c, 0));
    const totals = windows.map((w) => Array.from(high.slice(w.first, w.first + w.count)));
    return { above, totals };
  }

  it('every k whose cut lies in a window: the same bin and need; edges give a threshold keeping the same entries; misses are pending outside', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const high = randomHigh(seed);
      const numel = high.reduce((s, c) => s + c, 0);
      const next = rng(seed + 100);
      const a = 2 + Math.floor(next() * 15);
      const windows: BinWindow[] = next() < 0.5 ? [{ first: a, count: 2 }] : [{ first: a, count: 1 }, { first: a + 3 + Math.floor(next() * 15), count: 2 }];
      const { above, totals } = sweep(high, windows);
      const stand = windowedHigh(windows, above, totals, numel);
      expect(stand.reduce((s, c) => s + c, 0)).toBe(numel);
      for (let k = 1; k < numel; k++) {
        const real = planCuts(high, [k]).plans[0];
        const { plans, bins } = planCuts(stand, [k]);
        const got = plans[0];
        const bin = bins[0];
        if (isPending(got)) {
          if (findInWindows(windows, bin) !== undefined) {
            // Inside a window: exactly the real plan.
            expect(isPending(real)).toBe(true);
            expect(planCuts(high, [k]).bins[(real as { low: number }).low]).toBe(bin);
            expect(got.need).toBe((real as { need: number }).need);
          }
          continue; // A miss: the caller counts the whole high histogram.
        }
        // A final cut: keeps exactly the entries the real cut keeps (bits > threshold, no ties).
        expect(isPending(real)).toBe(false);
        const keptBy = (t: number) => high.reduce((s, c, b) => s + (b * BINS > t ? c : 0), 0);
        expect(keptBy(got.threshold)).toBe(k);
        expect(keptBy((real as { threshold: number }).threshold)).toBe(k);
      }
    }
  });

  it('overlapping predictions merge into one window', () => {
    const hist = new Uint32Array(BINS);
    // Two cuts whose likely ranges overlap but span more bins than the budget.
    for (let b = 100; b < 110; b++) hist[b] = 100;
    const windows = predictWindows(hist, [430, 520], 1000, 2);
    for (let i = 1; i < windows.length; i++) expect(windows[i].first).toBeGreaterThanOrEqual(windows[i - 1].first + windows[i - 1].count);
  });
});
