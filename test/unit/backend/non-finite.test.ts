/**
 * NaN and ±Inf counted by encode (on the values as written, after rounding to the dtype) and by
 * countNonFinite (stored values, the copy path), on both backends, against hand-computed counts.
 *
 * The float16 cases, by hand (half: 5 exponent bits, 10 mantissa bits, largest finite 65504 =
 * 0x7bff = (2 − 2^−10)·2^15; between 32768 and 65536 the spacing is 2^5 = 32):
 *   1       → 0x3c00, finite
 *   70000   → beyond 65504 + 16 (half the spacing): Inf; −70000 → −Inf
 *   NaN     → a quiet NaN
 *   65504   → 0x7bff exactly, finite
 *   65519   → 65504 + 15, less than half the spacing above 65504: rounds down to 65504, finite
 *   65520   → 65504 + 16, exactly halfway between 65504 (mantissa 0x3ff, odd) and 65536 (2^16, the
 *             next exponent, 31: Inf). Round-to-nearest-even takes the even neighbour: Inf.
 *   ±Inf    → ±Inf
 * bfloat16 keeps float32's exponent range: 70000 and 65520 stay finite; ±Inf stay Inf, and float32's
 * largest finite 0x7f7fffff becomes Inf too (its low 16 bits 0xffff are more than half of 0x10000:
 * it rounds up to 0x7f80, the exponent all ones), while 0x7f7f7fff (low bits below half) rounds down
 * to 0x7f7f, finite. float32 and float64 outputs are exact: only ±Inf and NaN are non-finite.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import type { Backend, NonFiniteTally } from '../../../electron/engine/backend/types.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import type { FloatDtype } from '../../../electron/engine/io/dtype.js';
import { loadBytes, loadF32, mixedBits } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

const F32_MAX_BITS = 0x7f7fffff;
const bitsOf = (x: number) => new Uint32Array(Float32Array.of(x).buffer)[0];

/** [input bits, Inf when written as F16, as BF16, as F32 or F64, NaN (every dtype)] */
const HAND: [number, { f16: boolean; bf16: boolean; wide: boolean; nan: boolean }][] = [
  [bitsOf(1), { f16: false, bf16: false, wide: false, nan: false }],
  [bitsOf(70000), { f16: true, bf16: false, wide: false, nan: false }],
  [bitsOf(-70000), { f16: true, bf16: false, wide: false, nan: false }],
  [bitsOf(NaN), { f16: false, bf16: false, wide: false, nan: true }],
  [0xff800001, { f16: false, bf16: false, wide: false, nan: true }], // a signalling NaN with the sign set
  [bitsOf(65504), { f16: false, bf16: false, wide: false, nan: false }],
  [bitsOf(65519), { f16: false, bf16: false, wide: false, nan: false }],
  [bitsOf(65520), { f16: true, bf16: false, wide: false, nan: false }],
  [bitsOf(Infinity), { f16: true, bf16: true, wide: true, nan: false }],
  [bitsOf(-Infinity), { f16: true, bf16: true, wide: true, nan: false }],
  [F32_MAX_BITS, { f16: true, bf16: true, wide: false, nan: false }],
  [0x7f7f7fff, { f16: true, bf16: false, wide: false, nan: false }], // rounds down to bf16 0x7f7f, finite
  [bitsOf(-0), { f16: false, bf16: false, wide: false, nan: false }],
  [0x00000001, { f16: false, bf16: false, wide: false, nan: false }], // the smallest float32 subnormal
];
// Per copy of HAND: F16 counts 7 Inf (70000, −70000, 65520, ±Inf, the two near float32's largest), BF16 3, F32/F64 2; all 2 NaN.
const PER_COPY: Record<FloatDtype, NonFiniteTally> = { F16: { inf: 7, nan: 2 }, BF16: { inf: 3, nan: 2 }, F32: { inf: 2, nan: 2 }, F64: { inf: 2, nan: 2 } };
const SIZE: Record<FloatDtype, number> = { F32: 4, BF16: 2, F16: 2, F64: 8 };

it('the per-copy counts are those of the table', () => {
  const count = (key: 'f16' | 'bf16' | 'wide') => HAND.filter(([, w]) => w[key]).length;
  expect([count('f16'), count('bf16'), count('wide'), HAND.filter(([, w]) => w.nan).length]).toEqual([7, 3, 2, 2]);
});

/** `copies` copies of HAND, each followed by `gap` ones (finite everywhere), so the specials fall in vector bodies and scalar tails. */
function handInput(copies: number, gap: number): Uint32Array {
  const out: number[] = [];
  for (let c = 0; c < copies; c++) {
    for (const [bits] of HAND) out.push(bits);
    for (let g = 0; g < gap; g++) out.push(bitsOf(1));
  }
  return Uint32Array.from(out);
}

let wasm: WasmBackend;
const ts = new TsBackend();
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});
const backends = (): [string, Backend][] => [
  ['ts', ts],
  ['wasm', wasm],
];

function encodeCount(be: Backend, dtype: FloatDtype, bits: Uint32Array): NonFiniteTally {
  const n = bits.length;
  const tally: NonFiniteTally = { nan: 0, inf: 0 };
  be.encode(dtype, loadF32(be, 0, bits), be.bytes(1, n * SIZE[dtype]), n, tally);
  return tally;
}

describe('encode counts the NaN and ±Inf it writes, as written', () => {
  for (const dtype of ['F16', 'BF16', 'F32', 'F64'] as const) {
    it(`${dtype}: hand-chosen values, at every offset against the vector width`, () => {
      for (const [name, be] of backends()) {
        for (const [copies, gap] of [[1, 0], [1, 1], [2, 3], [3, 5], [5, 2], [40, 7]]) {
          const want = { nan: PER_COPY[dtype].nan * copies, inf: PER_COPY[dtype].inf * copies };
          expect(encodeCount(be, dtype, handInput(copies, gap)), `${name} ${dtype} ${copies}×, gap ${gap}`).toEqual(want);
        }
      }
    });
  }

  it('F16: 70000 is written as Inf (0x7c00), 65519 as 65504 (0x7bff), 65520 as Inf: the counted values are those in the bytes', () => {
    for (const [name, be] of backends()) {
      const bits = Uint32Array.of(bitsOf(70000), bitsOf(65519), bitsOf(65520), bitsOf(1));
      const raw = be.bytes(1, 8);
      const tally = { nan: 0, inf: 0 };
      be.encode('F16', loadF32(be, 0, bits), raw, 4, tally);
      expect(Array.from(new Uint16Array(raw.buffer, raw.byteOffset, 4)), name).toEqual([0x7c00, 0x7bff, 0x7c00, 0x3c00]);
      expect(tally, name).toEqual({ nan: 0, inf: 2 });
    }
  });

  it('F16: 65520 and 65535.996 (0x477fffff) round up to Inf among finite values, in whole vectors and in tails', () => {
    // Both are below 65536, the first float32 with half's exponent 31, yet round to it: Inf.
    for (const [name, be] of backends()) {
      for (const n of [3, 8, 16, 17, 40]) {
        const bits = new Uint32Array(n).fill(bitsOf(1000));
        bits[0] = bitsOf(65520);
        bits[n - 1] = 0x477fffff;
        bits[n >> 1] = bitsOf(65519); // 65504, finite
        expect(encodeCount(be, 'F16', bits), `${name} n=${n}`).toEqual({ nan: 0, inf: 2 });
      }
    }
  });

  it('adds to the tally it is given, and a clean input adds nothing', () => {
    for (const [name, be] of backends()) {
      const tally = { nan: 5, inf: 7 };
      const bits = handInput(1, 0);
      be.encode('F16', loadF32(be, 0, bits), be.bytes(1, 2 * bits.length), bits.length, tally);
      be.encode('F16', loadF32(be, 0, Uint32Array.of(bitsOf(1), bitsOf(-2))), be.bytes(1, 4), 2, tally);
      expect(tally, name).toEqual({ nan: 7, inf: 14 });
      expect(encodeCount(be, 'BF16', new Uint32Array(4099).fill(bitsOf(0.001))), name).toEqual({ nan: 0, inf: 0 });
    }
  });

  it('without a tally, encode writes the same bytes', () => {
    for (const [name, be] of backends()) {
      const bits = handInput(3, 1);
      const n = bits.length;
      const a = be.bytes(1, 2 * n);
      be.encode('F16', loadF32(be, 0, bits), a, n);
      const first = a.slice(0, 2 * n);
      be.encode('F16', loadF32(be, 0, bits), a, n, { nan: 0, inf: 0 });
      expect(Buffer.from(a.subarray(0, 2 * n)).equals(Buffer.from(first)), name).toBe(true);
    }
  });
});

describe('countNonFinite counts stored values (hand-written bit patterns)', () => {
  // Each: [stored bytes, expected]. BF16 and F16: +Inf, −Inf, a quiet NaN, a signalling NaN with the sign, the largest finite, 0.
  const u16 = (...h: number[]) => new Uint8Array(Uint16Array.from(h).buffer);
  const cases: [FloatDtype, Uint8Array, NonFiniteTally][] = [
    ['BF16', u16(0x7f80, 0xff80, 0x7fc0, 0xff81, 0x7f7f, 0x0000), { inf: 2, nan: 2 }],
    ['F16', u16(0x7c00, 0xfc00, 0x7e00, 0xfc01, 0x7bff, 0x0000), { inf: 2, nan: 2 }],
    ['F32', new Uint8Array(Uint32Array.of(0x7f800000, 0xff800000, 0x7fc00000, 0xff800001, 0x7f7fffff, 0).buffer), { inf: 2, nan: 2 }],
    // F64: ±Inf, NaN, a NaN whose only set mantissa bit is the lowest, the largest finite, 0.
    ['F64', new Uint8Array(new Uint32Array([0, 0x7ff00000, 0, 0xfff00000, 0, 0x7ff80000, 1, 0x7ff00000, 0xffffffff, 0x7fefffff, 0, 0]).buffer), { inf: 2, nan: 2 }],
  ];
  for (const [dtype, one, perCopy] of cases) {
    it(`${dtype}`, () => {
      for (const [name, be] of backends()) {
        for (const copies of [1, 2, 3, 5, 11, 700]) {
          const bytes = new Uint8Array(one.length * copies);
          for (let c = 0; c < copies; c++) bytes.set(one, c * one.length);
          const n = bytes.length / SIZE[dtype];
          const tally = { nan: 0, inf: 0 };
          be.countNonFinite(dtype, loadBytes(be, 2, bytes), n, tally);
          expect(tally, `${name} ${dtype} ×${copies}`).toEqual({ nan: perCopy.nan * copies, inf: perCopy.inf * copies });
        }
      }
    });
  }
});

describe('both backends count the same on random and special values', () => {
  it('encode and countNonFinite, every dtype, lengths around the vector widths', () => {
    for (const dtype of ['F32', 'BF16', 'F16', 'F64'] as const) {
      for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 4099, 20000]) {
        const bits = mixedBits(n, 7 * n + 3);
        const want = encodeCount(ts, dtype, bits);
        expect(encodeCount(wasm, dtype, bits), `${dtype} n=${n}`).toEqual(want);
        // What encode wrote, counted again as stored values: the same counts.
        const raw = ts.bytes(1, n * SIZE[dtype]).slice(0, n * SIZE[dtype]);
        for (const [name, be] of backends()) {
          const tally = { nan: 0, inf: 0 };
          be.countNonFinite(dtype, loadBytes(be, 2, raw), n, tally);
          expect(tally, `${name} count ${dtype} n=${n}`).toEqual(want);
        }
        if (n === 20000) expect(want.nan + want.inf).toBeGreaterThan(0);
      }
    }
  });
});
