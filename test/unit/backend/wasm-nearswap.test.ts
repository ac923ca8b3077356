/**
 * nearswap's optional primitive: WasmBackend writes the TypeScript reference's bits for every element
 * whose inputs are finite and counts the others; the kernel, run on the WebAssembly backend, writes
 * the reference's bits for every element, non-finite ones included.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { nearswapInto } from '../../../electron/engine/methods/interpolation/nearswap.js';
import { runMethod } from '../methods/harness.js';
import { bitsOf, loadF32, mixedBits, rng, sameBits, SPECIAL_BITS } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

const fr = Math.fround;
const FLOOR = fr(1e-6);
const LENGTHS = [0, 1, 3, 4, 5, 7, 8, 9, 4096, 10007];
// t: none, tiny (most weights swap fully), typical, the floor's scale, large (everything clamps to 1).
const THRESHOLDS = [0, fr(1e-7), fr(0.01), fr(1e-6), fr(3), fr(1e30)];

/** Bases and others: every special value against every other, then random patterns and pairs one ulp apart. */
function inputs(n: number, seed: number): { a: Uint32Array; b: Uint32Array } {
  const a = mixedBits(n, seed);
  const b = mixedBits(n, seed + 1);
  const next = rng(seed + 2);
  const s = SPECIAL_BITS.length;
  for (let j = 0; j < n; j++) {
    if (j < s * s) {
      a[j] = SPECIAL_BITS[j % s];
      b[j] = SPECIAL_BITS[Math.floor(j / s)];
    } else if (next() % 4 === 0) b[j] = (a[j] + (next() % 5) - 2) >>> 0; // a few ulps from the base
  }
  return { a, b };
}

function isFiniteBits(x: number): boolean {
  return (x & 0x7fffffff) < 0x7f800000;
}

describe('WasmBackend.nearswap', () => {
  for (const n of LENGTHS) {
    it(`writes the reference's bits where a and b are finite and counts the rest (n = ${n})`, () => {
      const { a, b } = inputs(n, 40 + n);
      for (const t of THRESHOLDS) {
        const expected = new Float32Array(n);
        nearswapInto(new Float32Array(a.buffer), new Float32Array(b.buffer), expected, n, t);
        const dst = wasm.f32(0, n);
        const skipped = wasm.nearswap(loadF32(wasm, 1, a), loadF32(wasm, 2, b), dst, n, t, FLOOR);
        const got = bitsOf(dst, n);
        const want = bitsOf(expected, n);
        let nonFinite = 0;
        for (let j = 0; j < n; j++) {
          if (!isFiniteBits(a[j]) || !isFiniteBits(b[j])) {
            nonFinite++;
            got[j] = want[j] = 0; // unspecified there
          }
        }
        expect(skipped).toBe(nonFinite);
        sameBits(got, want, 4 * n, `t = ${t}`);
      }
    });
  }

  it('refuses an output that is one of its inputs (the skipped elements are recomputed from them)', () => {
    const a = wasm.f32(1, 8);
    expect(() => wasm.nearswap(a, wasm.f32(2, 8), a, 8, 0.1, FLOOR)).toThrow(/'dst' and 'a' overlap/);
  });
});

describe('nearswap on the WebAssembly backend', () => {
  it("writes the TypeScript backend's bits for every element, non-finite inputs included", () => {
    const n = 3 * 4096 + 77;
    const { a, b } = inputs(n, 7);
    const base = new Float32Array(a.buffer);
    const other = new Float32Array(b.buffer);
    for (const t of THRESHOLDS) {
      const ts = runMethod('nearswap', { base, models: [other], global: { t } }).out;
      const viaWasm = runMethod('nearswap', { base, models: [other], global: { t }, backend: wasm }).out;
      sameBits(viaWasm, ts, 4 * n, `t = ${t}`);
    }
  });
});
