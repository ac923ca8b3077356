/**
 * keptAbsSumEachBlock: the l1 rescale's two block-sum lists of DARE (‖δ‖₁ and ‖δ⊙m‖₁) in one pass
 * must be exactly absSumEachBlock before and after randomMask, on both backends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { BLOCK, type Backend } from '../../../electron/engine/backend/types.js';
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

/** The fused call's two lists, from float64 scratch of `be` (u32 slot 5 as bytes: 8-byte aligned). */
function fused(be: Backend, bits: Uint32Array, blocks: number, start: number, key: number, threshold: number): [Float64Array, Float64Array] {
  const x = loadF32(be, 0, bits);
  const mem = be.u32(5, 4 * blocks + 2);
  const all = new Float64Array(mem.buffer, mem.byteOffset, blocks);
  const kept = new Float64Array(mem.buffer, mem.byteOffset + 8 * blocks, blocks);
  be.keptAbsSumEachBlock(x, blocks, start, key, threshold, all, kept);
  const after = bitsOfF32(x, blocks * BLOCK);
  sameBits(after, bits, blocks * BLOCK * 4, 'x is left unchanged');
  return [all.slice(), kept.slice()];
}

function bitsOfF32(x: Float32Array, n: number): Uint32Array {
  return new Uint32Array(x.buffer, x.byteOffset, n);
}

/** The staged path it replaces: block sums, randomMask, block sums again. */
function staged(be: Backend, bits: Uint32Array, blocks: number, start: number, key: number, threshold: number): [Float64Array, Float64Array] {
  const x = loadF32(be, 0, bits);
  const mem = be.u32(6, 4 * blocks + 2);
  const all = new Float64Array(mem.buffer, mem.byteOffset, blocks);
  const kept = new Float64Array(mem.buffer, mem.byteOffset + 8 * blocks, blocks);
  be.absSumEachBlock(x, blocks, all);
  be.randomMask(x, blocks * BLOCK, start, key, threshold);
  be.absSumEachBlock(x, blocks, kept);
  return [all.slice(), kept.slice()];
}

/**
 * Equal as float64 values (Object.is: exact, −0 ≠ +0, NaN = NaN), as the reduction tests compare
 * backends: a float64 NaN's payload is not reproducible even between two runs of the same
 * JavaScript loop (V8's tiers differ), so only the finite bits are a contract.
 */
function sameF64(a: Float64Array, b: Float64Array, label: string): void {
  expect(a.length, label).toBe(b.length);
  for (let j = 0; j < a.length; j++) expect(Object.is(a[j], b[j]), `${label} block ${j}: ${a[j]} vs ${b[j]}`).toBe(true);
}

describe('keptAbsSumEachBlock', () => {
  it('equals absSumEachBlock, randomMask, absSumEachBlock on both backends (mixed values, NaNs included)', () => {
    const thresholds = [keepThreshold(0.1), keepThreshold(0.5), keepThreshold(0.9), 1, 0x80000000, 0xffffffff, 0, keepThreshold(1)];
    for (const blocks of [0, 1, 2, 3, 5]) {
      for (const start of [0, 4096, 0xfffff000 - BLOCK, 2 ** 32 + 12288]) {
        for (const key of [0, 0x9e3779b9, 0xffffffff]) {
          for (const threshold of thresholds) {
            const bits = mixedBits(blocks * BLOCK, blocks + start + key);
            const label = `blocks=${blocks} start=${start} key=${key} threshold=${threshold}`;
            // Each backend's fused call against its own staged path, and the backends against each other.
            const [wantAll, wantKept] = staged(ts, bits, blocks, start, key, threshold);
            const [wAll, wKept] = staged(wasm, bits, blocks, start, key, threshold);
            for (const [be, stagedAll, stagedKept] of [[ts, wantAll, wantKept], [wasm, wAll, wKept]] as [Backend, Float64Array, Float64Array][]) {
              const [all, kept] = fused(be, bits, blocks, start, key, threshold);
              sameF64(all, stagedAll, `${be.name} all ${label}`);
              sameF64(kept, stagedKept, `${be.name} kept ${label}`);
            }
            sameF64(wAll, wantAll, `wasm vs ts all ${label}`);
            sameF64(wKept, wantKept, `wasm vs ts kept ${label}`);
          }
        }
      }
    }
  });

  it('on a block of ones the kept sum counts the survivors of the hash (independent count)', () => {
    const blocks = 3;
    const start = 8192;
    const key = 0x12345678;
    const threshold = keepThreshold(0.3);
    const ones = new Uint32Array(blocks * BLOCK).fill(0x3f800000);
    // Halves and quarters (exact in float64) on odd positions, so the lanes are not all alike.
    for (let i = 1; i < ones.length; i += 2) ones[i] = i % 4 === 1 ? 0x3f000000 : 0x3e800000;
    const value = (i: number) => (i % 2 === 0 ? 1 : i % 4 === 1 ? 0.5 : 0.25);
    const [all, kept] = fused(wasm, ones, blocks, start, key, threshold);
    for (let j = 0; j < blocks; j++) {
      let want = 0;
      for (let i = j * BLOCK; i < (j + 1) * BLOCK; i++) if (fmix32((start + i) ^ key) < threshold) want += value(i);
      expect(all[j]).toBe(1024 * (2 * 1 + 0.5 + 0.25));
      expect(kept[j]).toBe(want);
      expect(want).toBeGreaterThan(0.2 * all[j]);
      expect(want).toBeLessThan(0.4 * all[j]);
    }
  });
});
