import { beforeAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { loadF32, mixedBits, sameBits } from './bits.js';
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

  it('absHistWindow counts each element once, in its window histogram or else the high one, with or without the high one', () => {
    for (const n of LENGTHS) {
      const x = mixedBits(n, 5 * n + 2);
      const first = Math.min(0x8000 - 3, n > 0 ? ((x[0] & 0x7fffffff) >>> 16) - 1 : 0x3f80);
      for (const withHigh of [true, false]) {
        const want = [ts.u32(0, BINS), ts.u32(1, 3 * BINS)];
        const got = [wasm.u32(0, BINS), wasm.u32(1, 3 * BINS)];
        for (const h of [...want, ...got]) h.fill(1);
        ts.absHistWindow(loadF32(ts, 0, x), n, withHigh ? want[0] : null, Math.max(0, first), 3, want[1]);
        wasm.absHistWindow(loadF32(wasm, 0, x), n, withHigh ? got[0] : null, Math.max(0, first), 3, got[1]);
        sameBits(got[0], want[0], BINS * 4, `absHistWindow high n=${n}`);
        sameBits(got[1], want[1], 3 * BINS * 4, `absHistWindow lows n=${n}`);
        const counted = got[0].reduce((s, c) => s + c, 0) - BINS + got[1].reduce((s, c) => s + c, 0) - 3 * BINS;
        if (withHigh) expect(counted).toBe(n);
      }
    }
  });

  it('absHistWindow by hand: bins 0x3f80..0x3f81 windowed, the rest in the high histogram', () => {
    const x = wasm.f32(0, 6);
    // 1 and -1: bin 0x3f80, low 0; 1.0078125 = 0x3f810000: bin 0x3f81; 2: bin 0x4000; 0.5: bin 0x3f00; 1 + 2^-23: low 1.
    x.set([1, -1, 1.0078125, 2, 0.5, 1 + 2 ** -23]);
    const high = wasm.u32(0, BINS);
    const lows = wasm.u32(1, 2 * BINS);
    high.fill(0);
    lows.fill(0);
    wasm.absHistWindow(x, 6, high, 0x3f80, 2, lows);
    expect([lows[0], lows[1], lows[BINS], high[0x4000], high[0x3f00], high[0x3f80], high[0x3f81]]).toEqual([2, 1, 1, 1, 1, 0, 0]);
    expect(high.reduce((s, c) => s + c, 0) + lows.reduce((s, c) => s + c, 0)).toBe(6);
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
