/** lib/radix-select + lib/rank-band against a brute-force sort, on vectors with many ties. */
import { describe, expect, it } from 'vitest';
import { TsBackend } from '../../../../electron/engine/backend/ts-backend.js';
import { KEEP_ALL, KEEP_NONE, RadixSelect, type TopKCut } from '../../../../electron/engine/methods/lib/radix-select.js';
import { RankBandCursor } from '../../../../electron/engine/methods/lib/rank-band.js';
import { Scratch } from '../../../../electron/engine/methods/lib/scratch.js';
import { bf16, randomVector, rng } from './helpers.js';

/** Flat indices ordered by |x| descending, lower index first among equal magnitudes (the spec's rule). */
function bruteOrder(x: Float32Array): number[] {
  return Array.from(x.keys()).sort((i, j) => Math.abs(x[j]) - Math.abs(x[i]) || i - j);
}

/** Runs both radix passes over x in chunks of `chunk` and returns the cuts for ks. */
function cutsFor(x: Float32Array, ks: number[], chunk: number): TopKCut[] {
  const be = new TsBackend();
  const select = new RadixSelect(be, new Scratch(be), ks.length);
  const buf = new Float32Array(chunk);
  const sweep = (fn: (b: Float32Array, n: number) => void): void => {
    for (let s = 0; s < x.length; s += chunk) {
      const n = Math.min(chunk, x.length - s);
      buf.set(x.subarray(s, s + n));
      fn(buf, n);
    }
  };
  select.beginHigh();
  sweep((b, n) => select.addHigh(b, n));
  if (select.plan(ks)) sweep((b, n) => select.addLow(b, n));
  return select.cuts();
}

/** Keep mask of the band [lo, hi) of descending ranks, marked chunk by chunk. */
function bandKeep(x: Float32Array, hi: TopKCut, lo: TopKCut, chunk: number): Uint8Array {
  const keep = new Uint8Array(x.length);
  const cursor = new RankBandCursor(hi, lo);
  for (let s = 0; s < x.length; s += chunk) {
    const n = Math.min(chunk, x.length - s);
    cursor.mark(x.slice(s, s + n), n, keep.subarray(s, s + n));
  }
  return keep;
}

function expectedBand(x: Float32Array, lo: number, hi: number): Uint8Array {
  const keep = new Uint8Array(x.length);
  bruteOrder(x)
    .slice(Math.max(0, lo), Math.max(0, hi))
    .forEach((i) => (keep[i] = 1));
  return keep;
}

describe('radix select', () => {
  it('finds the exact top-k set, ties by lower index, on bf16 vectors with many equal magnitudes', () => {
    const r = rng(7);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + Math.floor(r() * 9000);
      // Few distinct values (bf16 of a small range, both signs, some zeros): heavy ties.
      const x = bf16(randomVector(n, 100 + trial, trial % 2 ? 1 : 1e-3));
      for (let i = 0; i < n; i += 7) x[i] = i % 3 ? -x[(i * 13) % n] : 0;
      const k = Math.floor(r() * (n + 1));
      const [cut] = cutsFor(x, [k], 4096);
      expect(bandKeep(x, cut, KEEP_NONE, 4096)).toEqual(expectedBand(x, 0, k));
    }
  });

  it('finds two cuts at once (a band), including cuts in the same and in different bins', () => {
    const r = rng(11);
    for (let trial = 0; trial < 30; trial++) {
      const n = 2 + Math.floor(r() * 6000);
      const x = bf16(randomVector(n, 500 + trial));
      const a = Math.floor(r() * n);
      const b = a + Math.floor(r() * (n - a + 1));
      const [hi, lo] = cutsFor(x, [b, a], 4096);
      expect(bandKeep(x, hi, lo, 4096)).toEqual(expectedBand(x, a, b));
    }
  });

  it('handles k at the ends (0 keeps nothing, n keeps all) and all-equal vectors across chunks', () => {
    const x = new Float32Array(10000).fill(-0.5);
    expect(cutsFor(x, [0], 4096)).toEqual([KEEP_NONE]);
    expect(cutsFor(x, [10000], 4096)).toEqual([KEEP_ALL]);
    const [cut] = cutsFor(x, [5000], 4096);
    const keep = bandKeep(x, cut, KEEP_NONE, 4096);
    expect(Array.from(keep.subarray(0, 5000)).every((v) => v === 1)).toBe(true);
    expect(Array.from(keep.subarray(5000)).every((v) => v === 0)).toBe(true);
  });

  it('skips the second pass when the cut is on a bin edge', () => {
    // Values 1 and 2 differ in their high 16 bits; taking exactly the 3 twos ends on a bin edge.
    const x = Float32Array.from([1, 2, 1, 2, 2, 1]);
    const be = new TsBackend();
    const select = new RadixSelect(be, new Scratch(be));
    select.beginHigh();
    select.addHigh(x, x.length);
    expect(select.plan([3])).toBe(false);
    expect(Array.from(bandKeep(x, select.cuts()[0], KEEP_NONE, 4096))).toEqual([0, 1, 0, 1, 1, 0]);
  });

  it('does not depend on the chunking of either pass', () => {
    const x = bf16(randomVector(20000, 3));
    for (const chunk of [4096, 8192, 20480]) {
      const [cut] = cutsFor(x, [7777], chunk);
      expect(bandKeep(x, cut, KEEP_NONE, chunk)).toEqual(expectedBand(x, 0, 7777));
    }
  });
});
