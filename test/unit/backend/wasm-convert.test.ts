import { beforeAll, describe, expect, it } from 'vitest';
import type { FloatDtype } from '../../../electron/engine/io/dtype.js';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { loadBytes, loadF32, mixedBits, rng, sameBits } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
const ts = new TsBackend();
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

const SIZE: Record<FloatDtype, number> = { F32: 4, BF16: 2, F16: 2, F64: 8 };
const LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 33, 4099];

function decodeBoth(dtype: FloatDtype, raw: Uint8Array, n: number, label: string): Float32Array {
  const want = ts.f32(0, n);
  ts.decode(dtype, loadBytes(ts, 0, raw), want, n);
  const got = wasm.f32(0, n);
  wasm.decode(dtype, loadBytes(wasm, 0, raw), got, n);
  sameBits(got, want, n * 4, label);
  return got;
}

function encodeBoth(dtype: FloatDtype, bits: Uint32Array, n: number, label: string): Uint8Array {
  const want = ts.bytes(1, n * SIZE[dtype]);
  const wantCount = { nan: 0, inf: 0 };
  ts.encode(dtype, loadF32(ts, 0, bits), want, n, wantCount);
  const got = wasm.bytes(1, n * SIZE[dtype]);
  const gotCount = { nan: 0, inf: 0 };
  wasm.encode(dtype, loadF32(wasm, 0, bits), got, n, gotCount);
  sameBits(got, want, n * SIZE[dtype], label);
  // The same NaN and ±Inf counts (non-finite.test.ts checks them against hand-computed ones).
  expect(gotCount, label).toEqual(wantCount);
  return got;
}

/** Random bytes with every 16-bit (or 64-bit) special pattern sprinkled in. */
function randomBytes(n: number, seed: number): Uint8Array {
  const next = rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) {
    const r = next();
    for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (r >>> (8 * j)) & 0xff;
  }
  return out;
}

describe('WasmBackend decode is bit-identical to TsBackend', () => {
  it('BF16 and F16: every one of the 65536 patterns', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const raw = new Uint8Array(all.buffer);
    decodeBoth('BF16', raw, 65536, 'BF16 all');
    const f = decodeBoth('F16', raw, 65536, 'F16 all');
    // Independent spot checks: 0x3c00 = 1, 0x0001 = 2^-24, 0x7bff = 65504, 0xfc00 = -inf, 0x8000 = -0.
    expect([f[0x3c00], f[0x0001], f[0x7bff], f[0xfc00], Object.is(f[0x8000], -0)]).toEqual([1, 2 ** -24, 65504, -Infinity, true]);
  });

  it('every dtype at lengths around the vector widths, random bytes', () => {
    for (const dtype of ['F32', 'BF16', 'F16', 'F64'] as const) {
      for (const n of LENGTHS) decodeBoth(dtype, randomBytes(n * SIZE[dtype], n + 17), n, `${dtype} n=${n}`);
    }
  });

  it('F64: rounding to float32 at ties, overflow, subnormals and NaN payloads', () => {
    const next = rng(5);
    const values: number[] = [0, -0, Infinity, -Infinity, NaN, 1e300, -1e300, 1e-300, 3.4028235677973366e38, 3.4028235677973362e38, 1.401298464324817e-45, 7.006492321624085e-46, 7.006492321624087e-46, 2.1019476964872256e-45, 1 + 2 ** -24, 1 + 3 * 2 ** -24, 1 + 2 ** -24 + 2 ** -52];
    const n = 20000;
    const f64 = new Float64Array(n);
    const u32 = new Uint32Array(f64.buffer);
    for (let i = 0; i < n; i++) {
      if (i < values.length) f64[i] = values[i];
      else if (i % 3 === 0) {
        // A float32 plus half an ulp give or take one float64 ulp: the tie cases.
        const base = Math.fround((next() / 2 ** 32 - 0.5) * 2 ** ((next() % 60) - 30));
        f64[i] = base;
        u32[2 * i] = (u32[2 * i] + (0x10000000 + (next() % 3) - 1)) >>> 0;
      } else {
        u32[2 * i] = next();
        u32[2 * i + 1] = next();
      }
    }
    decodeBoth('F64', new Uint8Array(f64.buffer), n, 'F64 edges');
  });
});

describe('WasmBackend encode is bit-identical to TsBackend', () => {
  it('every dtype at lengths around the vector widths, mixed special and random values', () => {
    for (const dtype of ['F32', 'BF16', 'F16', 'F64'] as const) {
      for (const n of [...LENGTHS, 20000]) encodeBoth(dtype, mixedBits(n, 3 * n + 1), n, `${dtype} n=${n}`);
    }
  });

  it('BF16 rounds to nearest even (hand-computed)', () => {
    const got = encodeBoth('BF16', Uint32Array.from([0x3f808000, 0x3f818000, 0x3f808001, 0x7f7f8000, 0x7f800001, 0xff812345, 0, 0, 0]), 9, 'BF16 hand');
    expect(Array.from(new Uint16Array(got.buffer, got.byteOffset, 6))).toEqual([0x3f80, 0x3f82, 0x3f81, 0x7f80, 0x7fc0, 0xffc1]);
  });

  it('F16 rounds to nearest even, subnormals and overflow included (hand-computed)', () => {
    const input = [65504, 65519, 65520, 2 ** -24, 2 ** -25, 1.5 * 2 ** -25, 2 ** -14, 2 ** -14 - 2 ** -25, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 1e-10, -0];
    const bits = new Uint32Array(Float32Array.from(input).buffer);
    const got = encodeBoth('F16', bits, input.length, 'F16 hand');
    expect(Array.from(new Uint16Array(got.buffer, got.byteOffset, input.length))).toEqual([
      0x7bff, 0x7bff, 0x7c00, 0x0001, 0x0000, 0x0001, 0x0400, 0x0400, 0x3c00, 0x3c02, 0x0000, 0x8000,
    ]);
  });

  it('F16 over a sweep of millions of patterns: every exponent and sign, each rounding boundary', () => {
    // Per sign and exponent: the low bits at, just below and just above the halfway point of every
    // shift the conversion can use (13 for normals, 14..24 for subnormal halves), under random high
    // mantissa bits, plus fully random mantissas.
    const next = rng(99);
    const perExp = 8192;
    const bits = new Uint32Array(2 * 256 * perExp);
    let k = 0;
    for (let sign = 0; sign < 2; sign++) {
      for (let exp = 0; exp < 256; exp++) {
        const top = (sign << 31) | (exp << 23);
        for (let j = 0; j < perExp; j++) {
          const r = next() & 0x7fffff;
          let mant: number;
          if (j < 4096) {
            const shift = 13 + (j % 12);
            const half = 1 << (shift - 1);
            const low = [half - 1, half, half + 1, 0, 2 * half - 1, half | 1][(j >> 4) % 6] & ((1 << shift) - 1);
            mant = ((r >>> shift) << shift) | low;
            if (shift === 24) mant = low & 0x7fffff;
          } else mant = r;
          bits[k++] = (top | mant) >>> 0;
        }
      }
    }
    const n = bits.length;
    const want = new Uint8Array(n * 2);
    const wantCount = { nan: 0, inf: 0 };
    ts.encode('F16', loadF32(ts, 0, bits), want, n, wantCount);
    const got = wasm.bytes(1, n * 2);
    const gotCount = { nan: 0, inf: 0 };
    wasm.encode('F16', loadF32(wasm, 0, bits), got, n, gotCount);
    expect(sameBits(got, want, n * 2, 'F16 sweep')).toBe(true);
    expect(gotCount).toEqual(wantCount);
  });
});
