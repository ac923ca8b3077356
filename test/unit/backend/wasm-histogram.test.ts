import { beforeAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { loadF32, mixedBits, rng, sameBits } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
const ts = new TsBackend();
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

const BINS = 65536;
const LENGTHS = [0, 1, 3, 7, 8, 9, 15, 16, 17, 4096, 50001];

describe('WasmBackend radix histograms are bit-identical to TsBackend', () => {
  it('absHistHigh accumulates into the given histogram', () => {
    for (const n of LENGTHS) {
      const x = mixedBits(n, n + 3);
      const want = ts.u32(0, BINS);
      const got = wasm.u32(0, BINS);
      want.fill(7);
      got.fill(7);
      ts.absHistHigh(loadF32(ts, 0, x), n, want);
      wasm.absHistHigh(loadF32(wasm, 0, x), n, got);
      sameBits(got, want, BINS * 4, `absHistHigh n=${n}`);
      expect(got.reduce((s, c) => s + c, 0)).toBe(7 * BINS + n);
    }
  });

  it('absHistLow counts only the selected bucket, for hit-heavy and hit-free buckets', () => {
    for (const n of LENGTHS) {
      const x = mixedBits(n, 11 * n + 1);
      const highs = new Set<number>([0, 0x3f80, 0x7f80, 0x7fc0, 0x7fff]);
      for (let i = 0; i < Math.min(n, 20); i++) highs.add((x[i] & 0x7fffffff) >>> 16);
      for (const high of highs) {
        const want = ts.u32(0, BINS);
        const got = wasm.u32(0, BINS);
        want.fill(0);
        got.fill(0);
        ts.absHistLow(loadF32(ts, 0, x), n, high, want);
        wasm.absHistLow(loadF32(wasm, 0, x), n, high, got);
        sameBits(got, want, BINS * 4, `absHistLow n=${n} high=0x${high.toString(16)}`);
      }
    }
  });

  it('absWindowCount: the same window histograms and count above as the TypeScript reference, and every element in exactly one place', () => {
    for (const n of LENGTHS) {
      const x = mixedBits(n, 5 * n + 2);
      const first = Math.max(0, Math.min(0x8000 - 3, n > 0 ? ((x[0] & 0x7fffffff) >>> 16) - 1 : 0x3f80));
      const want = ts.u32(1, 3 * BINS);
      const got = wasm.u32(1, 3 * BINS);
      want.fill(1);
      got.fill(1);
      const aboveWant = ts.absWindowCount(loadF32(ts, 0, x), n, first, 3, want);
      const aboveGot = wasm.absWindowCount(loadF32(wasm, 0, x), n, first, 3, got);
      sameBits(got, want, 3 * BINS * 4, `absWindowCount lows n=${n}`);
      expect(aboveGot).toBe(aboveWant);
      // Counted independently: above the window, inside it (lows), below it.
      let up = 0;
      let inside = 0;
      for (let i = 0; i < n; i++) {
        const h = (x[i] & 0x7fffffff) >>> 16;
        if (h >= first + 3) up++;
        else if (h >= first) inside++;
      }
      expect(aboveGot).toBe(up);
      expect(got.reduce((s, c) => s + c, 0) - 3 * BINS).toBe(inside);
    }
  });

  it('absWindowCount and absHistLow with few distinct values (bf16 task vectors: k ulps of the base) match the TypeScript reference', () => {
    // A palette inside, above and below a window of 0x3c00..0x3c02, both signs: most lanes of a
    // vector repeat a value that another lane also holds.
    const palette = [0x3c000000, 0x3c010000, 0x3c020000, 0x3c000001, 0x3c01ffff, 0x3c030000, 0x3bff0000, 0x40000000, 0, 0x7fc00000];
    for (const n of [...LENGTHS, 4099]) {
      for (const spread of [2, 4, palette.length]) {
        const next = rng(n * 31 + spread);
        const x = new Uint32Array(n);
        for (let i = 0; i < n; i++) x[i] = palette[next() % spread] | (next() & 1 ? 0x80000000 : 0);
        const want = ts.u32(1, 3 * BINS);
        const got = wasm.u32(1, 3 * BINS);
        want.fill(0);
        got.fill(0);
        const aboveWant = ts.absWindowCount(loadF32(ts, 0, x), n, 0x3c00, 3, want);
        const aboveGot = wasm.absWindowCount(loadF32(wasm, 0, x), n, 0x3c00, 3, got);
        sameBits(got, want, 3 * BINS * 4, `absWindowCount palette n=${n} spread=${spread}`);
        expect(aboveGot).toBe(aboveWant);
        // Independently: every element of the first two palette values lands on its own counter.
        const of = (bits: number) => x.reduce((c, v) => c + ((v & 0x7fffffff) === bits ? 1 : 0), 0);
        expect(got[0]).toBe(of(0x3c000000));
        expect(got[BINS]).toBe(of(0x3c010000));
        for (const high of [0x3c00, 0x3c01]) {
          const lowWant = ts.u32(2, BINS);
          const lowGot = wasm.u32(2, BINS);
          lowWant.fill(0);
          lowGot.fill(0);
          ts.absHistLow(loadF32(ts, 0, x), n, high, lowWant);
          wasm.absHistLow(loadF32(wasm, 0, x), n, high, lowGot);
          sameBits(lowGot, lowWant, BINS * 4, `absHistLow palette n=${n} spread=${spread} high=0x${high.toString(16)}`);
          expect(lowGot[0]).toBe(of(high << 16));
        }
      }
    }
  });

  it('absWindowCount by hand: bins 0x3f80..0x3f81 windowed, 2 above, 0.5 below', () => {
    const x = wasm.f32(0, 6);
    // 1 and -1: bin 0x3f80, low 0; 1.0078125 = 0x3f810000: bin 0x3f81; 2: bin 0x4000; 0.5: bin 0x3f00; 1 + 2^-23: low 1.
    x.set([1, -1, 1.0078125, 2, 0.5, 1 + 2 ** -23]);
    const lows = wasm.u32(1, 2 * BINS);
    lows.fill(0);
    const above = wasm.absWindowCount(x, 6, 0x3f80, 2, lows);
    expect([lows[0], lows[1], lows[BINS], above]).toEqual([2, 1, 1, 1]);
    expect(lows.reduce((s, c) => s + c, 0)).toBe(4);
  });

  it('absWindowCount counts above the window in whole vectors and the tail alike (hand-computed, 19 elements)', () => {
    const x = wasm.f32(0, 19);
    // Twelve 4s (bin 0x4080, above a window of 0x3f80..0x3f80), four 1s (inside), three 0.25s (below).
    x.set([...Array(12).fill(4), ...Array(4).fill(-1), ...Array(3).fill(0.25)].reverse());
    const lows = wasm.u32(1, BINS);
    lows.fill(0);
    expect(wasm.absWindowCount(x, 19, 0x3f80, 1, lows)).toBe(12);
    expect(lows[0]).toBe(4);
  });

  it('counts by |x|: -1 and 1 share a bin, 0 and -0 too (hand-computed)', () => {
    const x = wasm.f32(0, 5);
    x.set([1, -1, 0, -0, 1.5]);
    const hist = wasm.u32(0, BINS);
    hist.fill(0);
    wasm.absHistHigh(x, 5, hist);
    expect([hist[0x3f80], hist[0], hist[0x3fc0]]).toEqual([2, 2, 1]);
    hist.fill(0);
    wasm.absHistLow(x, 5, 0x3fc0, hist);
    expect([hist[0], hist.reduce((s, c) => s + c, 0)]).toEqual([1, 1]);
  });

  it('absHistLow with a `high` no element can have changes nothing', () => {
    const x = loadF32(wasm, 0, mixedBits(100, 1));
    const hist = wasm.u32(0, BINS);
    hist.fill(0);
    for (const high of [0x8000, -1, 1.5, NaN]) wasm.absHistLow(x, 100, high, hist);
    expect(hist.every((c) => c === 0)).toBe(true);
  });
});
