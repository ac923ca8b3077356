import { describe, expect, it } from 'vitest';
import { TsBackend } from '../../../../electron/engine/backend/ts-backend.js';
import { KEPT_ROWS } from '../../../../electron/engine/methods/interpolation/arcee-statistics.js';
import { BINS, locateRanks, valueAt } from '../../../../electron/engine/methods/interpolation/radix-quantiles.js';
import { expectClose, runMethod } from '../harness.js';
import { expectSameBits, randomTensor, rng } from './helpers.js';

const fr = Math.fround;

/** arcee_fusion held in memory, quantiles by sorting the whole importance tensor (spec §3). */
function arceeFusionInMemory(a: Float32Array, b: Float32Array, cols: number): Float32Array {
  const n = a.length;
  const importance = new Float32Array(n);
  for (let r0 = 0; r0 < n; r0 += cols) {
    const softmax = (x: Float32Array) => {
      const row = Array.from(x.subarray(r0, r0 + cols));
      const max = Math.max(...row);
      const e = row.map((v) => Math.exp(v - max));
      let z = 0;
      for (const v of e) z += v;
      return e.map((v) => v / z + 1e-8);
    };
    const p = softmax(b);
    const q = softmax(a);
    let kl = 0;
    for (let j = 0; j < cols; j++) kl += p[j] * Math.log(p[j] / q[j]);
    const k = fr(Math.max(kl, 0));
    for (let j = r0; j < r0 + cols; j++) importance[j] = Math.abs(fr(b[j] - a[j])) * k;
  }
  const sorted = Float32Array.from(importance).sort();
  const at = (q: number) => sorted[Math.floor(q * (n - 1))];
  const tau = fr(at(0.5) + 1.5 * (at(0.75) - at(0.25)));
  return Float32Array.from(a, (v, j) => v + fr(fr(b[j] - v) * (importance[j] >= tau ? 1 : 0)));
}

describe('arcee_fusion', () => {
  it('one row: only the outlier change beyond median + 1.5·IQR is taken', () => {
    // One row, so I = KL·|b − a|: sorted |Δ| = .1,.2,.3,.4,2; Q1 = .2, median = .3, Q3 = .4 → τ = KL·0.6.
    const { out } = runMethod('arcee_fusion', { base: [0, 0, 0, 0, 0], models: [[0.1, 0.2, 0.3, 0.4, 2]], shape: [5] });
    expectClose(out, [0, 0, 0, 0, 2]);
  });

  it('rows with equal softmax (KL = 0) never exceed a positive threshold', () => {
    // Row 1 of b is row 1 of a shifted by a constant: same softmax, KL 0, so I = 0 there.
    const a = [0, 0, 0, 0, 1, 2, 3, 4];
    const b = [0.1, 0.2, 0.35, 3, 6, 7, 8, 9];
    const { out } = runMethod('arcee_fusion', { base: a, models: [b], shape: [2, 4] });
    // Row 0's I ∝ (.1,.2,.35,3); row 1's I = 0. Sorted I: 0,0,0,0,.1k,.2k,.35k,3k; indices 1, 3, 5 → Q1 = 0,
    // median = 0, Q3 = .2k → τ = .3k: the changes .35 and 3 of row 0 are taken.
    expectClose(out, [0, 0, 0.35, 3, 1, 2, 3, 4]);
  });

  it('matches the in-memory, sort-based implementation on a random 2-D tensor', () => {
    const rows = 64;
    const cols = 200;
    const a = randomTensor(rows * cols, 51, 0.05);
    const r = rng(52);
    // Rows drift by different amounts, so the row KL varies.
    const b = Float32Array.from(a, (v, j) => v + (r() * 2 - 1) * 0.02 * (1 + (Math.floor(j / cols) % 7)));
    const { out } = runMethod('arcee_fusion', { base: a, models: [b], shape: [rows, cols] });
    const expected = arceeFusionInMemory(a, b, cols);
    expectSameBits(out, expected);
    const taken = expected.reduce((s, v, j) => s + (v !== a[j] ? 1 : 0), 0);
    expect(taken).toBeGreaterThan(0); // the case exercises both branches
    expect(taken).toBeLessThan(rows * cols / 2);
  });
  it('a tensor of more rows than it keeps divergences for recomputes them per pass, with the same result', () => {
    // 2 columns, so each row's softmax and divergence vary; more rows than KEPT_ROWS.
    const rows = KEPT_ROWS + 5;
    const a = randomTensor(rows * 2, 53, 0.5);
    const r = rng(54);
    const b = Float32Array.from(a, (v) => v + (r() * 2 - 1) * 0.3);
    const { out } = runMethod('arcee_fusion', { base: a, models: [b], shape: [rows, 2], chunk: 1 << 16 });
    expectSameBits(out, arceeFusionInMemory(a, b, 2));
  }, 60_000);
});

/** The values at these ascending ranks by the two radix passes, the values fed in pieces of `chunk`. */
function selectRanks(values: Float32Array, ranks: number[], chunk = values.length): number[] {
  const be = new TsBackend();
  const pieces = (visit: (piece: Float32Array) => void) => {
    for (let s = 0; s < values.length; s += chunk) visit(values.slice(s, s + chunk));
  };
  const high = new Uint32Array(BINS);
  pieces((p) => be.absHistHigh(p, p.length, high));
  const { located, bins } = locateRanks(high, ranks);
  const lows = bins.map(() => new Uint32Array(BINS));
  pieces((p) => bins.forEach((bin, i) => be.absHistLow(p, p.length, bin, lows[i])));
  return located.map((l) => valueAt(l, lows[bins.indexOf(l.bin)]));
}

describe('radix select of non-negative float32 values', () => {
  it('finds the same values as sorting, for any ranks, with duplicates and zeros', () => {
    const r = rng(61);
    const n = 20000;
    const values = Float32Array.from({ length: n }, () => {
      const u = r();
      if (u < 0.1) return 0;
      if (u < 0.3) return 0.5; // many duplicates
      return fr(Math.exp((r() - 0.5) * 40)); // wide range of exponents
    });
    const sorted = Float32Array.from(values).sort();
    const ranks = [0, 1, 1999, 2000, 5000, 9999, 10000, 15000, n - 1];
    const got = selectRanks(values, ranks, 4096);
    expect(got).toEqual(ranks.map((k) => sorted[k]));
  });

  it('separates values that share their high 16 bits', () => {
    const values = Float32Array.from([1.0000001, 1.0000002, 1, 1.0000004]);
    const got = selectRanks(values, [0, 1, 2, 3]);
    expect(got).toEqual(Array.from(Float32Array.from(values).sort()));
  });
});
