/** lib/magnitude-order (per-row ranks) and lib/block-sum (block reductions pushed in pieces). */
import { describe, expect, it } from 'vitest';
import { TsBackend } from '../../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../../electron/engine/backend/wasm-backend.js';
import { ensureKernelsBuilt } from '../../backend/kernels-built.js';
import { BLOCK } from '../../../../electron/engine/backend/types.js';
import { BLOCK_SUM_SCRATCH, BlockSum } from '../../../../electron/engine/methods/lib/block-sum.js';
import { MagnitudeOrder } from '../../../../electron/engine/methods/lib/magnitude-order.js';
import { Scratch } from '../../../../electron/engine/methods/lib/scratch.js';
import { bf16, randomVector, rng } from './helpers.js';

describe('MagnitudeOrder', () => {
  it('orders by |x| descending, lower index first among equals (brute-force comparison)', () => {
    const be = new TsBackend();
    const order = new MagnitudeOrder(new Scratch(be), 5000);
    const r = rng(5);
    for (let trial = 0; trial < 25; trial++) {
      const m = 1 + Math.floor(r() * 5000);
      const x = bf16(randomVector(m, trial, trial % 3 === 0 ? 1e-30 : 4));
      for (let i = 0; i < m; i += 5) x[i] = -x[(i * 7) % m];
      const expected = Array.from(x.keys()).sort((i, j) => Math.abs(x[j]) - Math.abs(x[i]) || i - j);
      expect(Array.from(order.order(x, m))).toEqual(expected);
    }
  });

  it('puts infinities first and zeros (of either sign) last', () => {
    const be = new TsBackend();
    const order = new MagnitudeOrder(new Scratch(be), 8);
    const x = Float32Array.from([0, -Infinity, 1, -0, 3, Infinity, -1]);
    expect(Array.from(order.order(x, 7))).toEqual([1, 5, 4, 2, 6, 0, 3]);
  });
});

describe('BlockSum', () => {
  it('equals one Backend reduction over the whole vector, whatever the pieces', () => {
    const be = new TsBackend();
    const x = randomVector(5 * BLOCK + 777, 9, 3);
    const absWhole = be.absSumBlocks(x, x.length, 0);
    const sqWhole = be.dotBlocks(x, x, x.length, 0);
    const r = rng(4);
    for (let trial = 0; trial < 10; trial++) {
      const abs = new BlockSum(be, 'abs', new Float32Array(BLOCK_SUM_SCRATCH));
      const sq = new BlockSum(be, 'square', new Float32Array(BLOCK_SUM_SCRATCH));
      for (let s = 0; s < x.length; ) {
        const n = Math.min(x.length - s, 1 + Math.floor(r() * 3 * BLOCK));
        abs.push(x.slice(s, s + n), n);
        sq.push(x.slice(s, s + n), n);
        s += n;
      }
      expect(abs.finish()).toBe(absWhole);
      expect(sq.finish()).toBe(sqWhole);
    }
    // And it is the L1 norm (to float64 rounding).
    expect(absWhole).toBeCloseTo(x.reduce((s, v) => s + Math.abs(v), 0), 6);
  });

  it('on the WebAssembly backend, many whole blocks per call (absSumEachBlock) give the same bits as the TypeScript reduction', () => {
    ensureKernelsBuilt();
    const wasm = new WasmBackend();
    const n = 203 * BLOCK + 1001;
    const x = wasm.f32(0, n);
    x.set(randomVector(n, 12, 0.02));
    const want = new TsBackend().absSumBlocks(Float32Array.from(x), n, 0);
    const r = rng(8);
    for (let trial = 0; trial < 4; trial++) {
      const abs = new BlockSum(wasm, 'abs', wasm.f32(1, BLOCK_SUM_SCRATCH));
      for (let s = 0; s < n; ) {
        const len = Math.min(n - s, 1 + Math.floor(r() * 150 * BLOCK));
        abs.push(x.subarray(s), len);
        s += len;
      }
      expect(abs.finish()).toBe(want);
    }
  });

  it('absSumEachBlock by hand: one sum per block, lanes i mod 4 then (l0 + l1) + (l2 + l3)', () => {
    ensureKernelsBuilt();
    const wasm = new WasmBackend();
    const x = wasm.f32(0, 5 * BLOCK);
    for (let i = 0; i < x.length; i++) x[i] = (i % 2 ? -1 : 1) * (1 + Math.floor(i / BLOCK));
    const out = new Float64Array(wasm.f32(1, 10).buffer, wasm.f32(1, 10).byteOffset, 5);
    wasm.absSumEachBlock(x, 5, out);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5].map((v) => v * BLOCK));
  });
});
