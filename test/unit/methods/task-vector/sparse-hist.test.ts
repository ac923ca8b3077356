import { describe, expect, it } from 'vitest';
import { addSparse, countAt, sparseHist, sumSparse } from '../../../../electron/engine/methods/lib/sparse-hist.js';

/** A dense histogram with a few non-zero bins, at the edges too. */
function denseWith(length: number, entries: [number, number][]): Uint32Array {
  const h = new Uint32Array(length);
  for (const [bin, count] of entries) h[bin] = count;
  return h;
}

describe('sparse histograms stand for their dense form exactly', () => {
  const entries: [number, number][] = [
    [0, 3],
    [1, 1],
    [4095, 7],
    [65535, 2],
    [65536, 5],
    [131071, 0xffffffff],
  ];
  const dense = denseWith(131072, entries);

  it('keeps exactly the non-zero bins, in increasing order, in arrays of their own', () => {
    const s = sparseHist(dense);
    expect(s.length).toBe(131072);
    expect([...s.bins!]).toEqual([0, 1, 4095, 65535, 65536, 131071]);
    expect([...s.counts]).toEqual([3, 1, 7, 2, 5, 0xffffffff]);
    dense[0] = 99;
    expect(s.counts[0]).toBe(3);
    dense[0] = 3;
  });

  it('reads only the first `length` bins of a longer buffer (scratch views may be longer)', () => {
    const s = sparseHist(dense, 65536);
    expect(s.length).toBe(65536);
    expect([...s.bins!]).toEqual([0, 1, 4095, 65535]);
  });

  it('adds, sums and looks up bins of a range as the dense loops do', () => {
    const s = sparseHist(dense);
    for (const [from, to] of [
      [0, 131072],
      [0, 65536],
      [65536, 131072],
      [1, 4095],
      [4095, 4096],
      [70000, 131071],
    ]) {
      const want = new Float64Array(to - from);
      let wantSum = 0;
      for (let i = from; i < to; i++) {
        want[i - from] += dense[i];
        wantSum += dense[i];
      }
      const got = addSparse(new Float64Array(to - from), s, from, to);
      expect([...got], `add [${from}, ${to})`).toEqual([...want]);
      expect(sumSparse(s, from, to), `sum [${from}, ${to})`).toBe(wantSum);
    }
    for (let bin = 0; bin < 131072; bin += 4093) expect(countAt(s, bin)).toBe(dense[bin]);
    for (const [bin, count] of entries) expect(countAt(s, bin)).toBe(count);
    expect(countAt(s, 2)).toBe(0);
  });

  it('stays dense (a copy, never larger than the dense histogram) when at least half the bins are non-zero, and reads the same', () => {
    const full = new Uint32Array(4096);
    for (let i = 0; i < full.length; i++) full[i] = i % 3 === 0 ? 0 : i; // two thirds non-zero
    const s = sparseHist(full);
    expect(s.bins).toBeNull();
    expect(s.counts.length).toBe(4096);
    full[1] = 77;
    expect(s.counts[1]).toBe(1);
    full[1] = 1;
    let sum = 0;
    for (let i = 100; i < 3000; i++) sum += full[i];
    expect(sumSparse(s, 100, 3000)).toBe(sum);
    const got = addSparse(new Float64Array(100), s, 4000, 4100);
    expect([...got.subarray(0, 96)]).toEqual([...full.subarray(4000, 4096)].map(Number));
    expect([...got.subarray(96)]).toEqual([0, 0, 0, 0]);
    expect(countAt(s, 4094)).toBe(4094);
    expect(countAt(s, 3)).toBe(0);
    expect(countAt(s, 5000)).toBe(0);
    // Just under half non-zero: sparse.
    expect(sparseHist(denseWith(8, [[0, 1], [1, 1], [2, 1]])).bins).not.toBeNull();
    expect(sparseHist(denseWith(8, [[0, 1], [1, 1], [2, 1], [3, 1]])).bins).toBeNull();
  });

  it('adds onto a running total (ranges in order)', () => {
    const total = new Float64Array(8);
    addSparse(total, sparseHist(denseWith(8, [[3, 2]])));
    addSparse(total, sparseHist(denseWith(8, [[3, 5], [7, 1]])));
    expect([...total]).toEqual([0, 0, 0, 7, 0, 0, 0, 1]);
  });

  it('an empty histogram has no bins and adds nothing', () => {
    const s = sparseHist(new Uint32Array(65536));
    expect(s.bins!.length).toBe(0);
    expect(sumSparse(s, 0, 65536)).toBe(0);
    expect(countAt(s, 0)).toBe(0);
  });
});
