import { beforeAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { fmix32, keepThreshold } from '../../../electron/engine/backend/float-bits.js';
import { loadF32, mixedBits, sameBits } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
const ts = new TsBackend();
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

function both(n: number, start: number, key: number, threshold: number, seed: number): Float32Array {
  const x = mixedBits(n, seed);
  const want = loadF32(ts, 0, x);
  ts.randomMask(want, n, start, key, threshold);
  const got = loadF32(wasm, 0, x);
  wasm.randomMask(got, n, start, key, threshold);
  sameBits(got, want, n * 4, `randomMask n=${n} start=${start} key=${key} threshold=${threshold}`);
  return got;
}

describe('WasmBackend randomMask is bit-identical to TsBackend', () => {
  it('over lengths, flat offsets (beyond 2^32 too), keys and keep probabilities', () => {
    const thresholds = [keepThreshold(0.1), keepThreshold(0.5), keepThreshold(0.9), 1, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff];
    for (const n of [0, 1, 3, 7, 8, 9, 17, 4096, 10001]) {
      for (const start of [0, 5, 4096, 0x7ffffffe, 0xfffffffd, 2 ** 32 + 12345, 2 ** 40 + 7]) {
        for (const key of [0, 1, 0x9e3779b9, 0xffffffff]) {
          for (const threshold of thresholds) both(n, start, key, threshold, n + start + key);
        }
      }
    }
  });

  it('keeps everything at threshold 2^32 (p = 1) and drops everything at 0, writing +0', () => {
    const kept = both(1000, 3, 77, keepThreshold(1), 1);
    expect(sameBits(kept, loadF32(ts, 1, mixedBits(1000, 1)), 4000)).toBe(true);
    const dropped = both(1000, 3, 77, 0, 2);
    expect(Array.from(new Uint32Array(dropped.buffer, dropped.byteOffset, 1000)).every((b) => b === 0)).toBe(true);
    both(100, 3, 77, -5, 3);
    both(100, 3, 77, 2.5e9 + 0.5, 4);
    both(100, 3, 77, NaN, 5);
  });

  it('drops exactly the elements whose hash is at or above the threshold (hand-checked against fmix32)', () => {
    const n = 64;
    const x = wasm.f32(0, n);
    x.fill(1);
    const start = 1000;
    const key = 0x12345678;
    const threshold = 0x80000000;
    wasm.randomMask(x, n, start, key, threshold);
    for (let i = 0; i < n; i++) expect(x[i]).toBe(fmix32(((start + i) ^ key) >>> 0) < threshold ? 1 : 0);
  });

  it('drops an element whose hash equals the threshold (u >= threshold), in every lane and in the tail', () => {
    const start = 777;
    const key = 0xdeadbeef;
    for (let e = 0; e < 23; e++) {
      const threshold = fmix32(((start + e) ^ key) >>> 0);
      const x = both(23, start, key, threshold, e);
      expect(x[e]).toBe(0);
    }
  });

  it('masks of a split range equal the mask of the whole range', () => {
    const whole = wasm.f32(0, 1000);
    whole.fill(1);
    wasm.randomMask(whole, 1000, 0, 42, keepThreshold(0.3));
    const part = wasm.f32(1, 1000);
    part.fill(1);
    wasm.randomMask(part, 333, 0, 42, keepThreshold(0.3));
    wasm.randomMask(part.subarray(333), 667, 333, 42, keepThreshold(0.3));
    expect(sameBits(part, whole, 4000)).toBe(true);
  });
});

describe('randomMaskScale is randomMask then scale, bit for bit', () => {
  const scales = [1, 0.5, 3.7, 1 / 0.3, 1e-40, 1e30, 2 ** 127, 0, -0, -2, NaN, Infinity, -Infinity];
  it('on both backends, over lengths, offsets, keep probabilities and factors (NaN payloads, ±Inf, denormals in x)', () => {
    const thresholds = [keepThreshold(0.1), keepThreshold(0.5), 1, 0xffffffff, 0, keepThreshold(1), NaN];
    for (const n of [0, 1, 7, 8, 9, 17, 4099]) {
      for (const start of [0, 5, 0xfffffffd, 2 ** 40 + 7]) {
        for (const threshold of thresholds) {
          for (const c of scales) {
            const x = mixedBits(n, n * 31 + start + c);
            const want = loadF32(ts, 0, x);
            ts.randomMask(want, n, start, 0x9e3779b9, threshold);
            ts.scale(want, c, n);
            for (const be of [ts, wasm]) {
              const got = loadF32(be, 1, x);
              be.randomMaskScale(got, n, start, 0x9e3779b9, threshold, c);
              sameBits(got, want, n * 4, `${be.constructor.name} randomMaskScale n=${n} start=${start} threshold=${threshold} c=${c}`);
            }
          }
        }
      }
    }
  });

  it('by hand: kept elements become float32(x·c), dropped ones +0', () => {
    const n = 40;
    const x = wasm.f32(0, n);
    for (let i = 0; i < n; i++) x[i] = i - 20.25;
    const start = 9;
    const key = 0x1234;
    const threshold = 0x80000000;
    wasm.randomMaskScale(x, n, start, key, threshold, 1 / 0.3);
    const c = Math.fround(1 / 0.3);
    for (let i = 0; i < n; i++) {
      const kept = fmix32(((start + i) ^ key) >>> 0) < threshold;
      expect(Object.is(x[i], kept ? Math.fround((i - 20.25) * c) : 0), `element ${i}`).toBe(true);
    }
  });
});
