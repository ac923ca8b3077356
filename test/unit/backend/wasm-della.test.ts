/**
 * WasmBackend.dellaRows writes exactly the bits of DELLA's TypeScript drop (della-drop.ts with a
 * backend that has no dellaRows: MagnitudeOrder's radix sort and the per-rank decisions), NaN
 * payloads included, for rows of any length, tie-heavy rows, both rescale rules and flat indices
 * that wrap past 2^32.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import type { Backend } from '../../../electron/engine/backend/types.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { MagnitudeOrder } from '../../../electron/engine/methods/lib/magnitude-order.js';
import { Scratch } from '../../../electron/engine/methods/lib/scratch.js';
import { DellaDrop } from '../../../electron/engine/methods/task-vector/della-drop.js';
import { mixedBits, rng, sameBits, SPECIAL_BITS } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

interface Case {
  bits: Uint32Array;
  m: number;
  density: number;
  epsilon: number;
  inverse: boolean;
  offset: number;
  start: number;
}

/** DellaDrop.apply on the case's rows with this backend; returns the result's bits. */
function drop(be: Backend, c: Case): Uint32Array {
  const n = c.bits.length;
  const scratch = new Scratch(be);
  const x = scratch.f32(n);
  const keep = scratch.bytes(n);
  const order = new MagnitudeOrder(scratch, c.m);
  const della = new DellaDrop(c.density, c.epsilon, c.inverse, {
    backend: be,
    scratch,
    numel: c.offset + c.start + n,
    name: 'model.layers.3.mlp.down_proj.weight',
    seed: 7,
    offset: c.offset,
    range: 0,
    modelIndex: 1,
    unit: n,
    keep,
    rows: { length: c.m, order },
  });
  const v = x();
  new Uint32Array(v.buffer, v.byteOffset, n).set(c.bits);
  della.apply(v, c.start, n);
  return Uint32Array.from(new Uint32Array(v.buffer, v.byteOffset, n));
}

/** Rows drawn from a few magnitudes (both signs): ties in every row, as bf16 task vectors have. */
function tieHeavy(n: number, seed: number): Uint32Array {
  const next = rng(seed);
  const palette = [0x3c000000, 0x3c800000, 0x3d000000, 0x3c000001, 0, 0x7fc00000, 0x7f800000];
  return Uint32Array.from({ length: n }, () => palette[next() % palette.length] | (next() & 1 ? 0x80000000 : 0));
}

function check(c: Case, what: string): void {
  const ts = new TsBackend();
  expect(ts.dellaRows).toBeUndefined();
  const want = drop(ts, c);
  const got = drop(wasm, c);
  const n = c.bits.length;
  expect(sameBits(new Float32Array(got.buffer), new Float32Array(want.buffer), n * 4, what)).toBe(true);
}

describe('WasmBackend.dellaRows is bit-identical to the TypeScript DELLA drop', () => {
  it('rows of many lengths, mixed special values, both rescale rules', () => {
    for (const m of [1, 2, 3, 5, 8, 16, 17, 333, 2048, 4096, 5000]) {
      const rows = m > 1000 ? 2 : 5;
      const bits = mixedBits(rows * m, m + 3);
      for (let i = 0; i < Math.min(bits.length, SPECIAL_BITS.length); i++) bits[i * 3 % bits.length] = SPECIAL_BITS[i];
      for (const [density, epsilon] of [[0.5, 0.1], [0.9, 0.1], [0.3, 0.29], [1, 0]]) {
        for (const inverse of [false, true]) check({ bits, m, density, epsilon, inverse, offset: 0, start: 0 }, `m=${m} d=${density} ε=${epsilon} inverse=${inverse}`);
      }
    }
  });

  it('tie-heavy rows (few distinct magnitudes)', () => {
    for (const m of [4, 16, 100, 4096]) {
      const bits = tieHeavy(3 * m, m);
      for (const inverse of [false, true]) check({ bits, m, density: 0.6, epsilon: 0.2, inverse, offset: 0, start: 0 }, `ties m=${m} inverse=${inverse}`);
    }
  });

  it('rows whose magnitudes agree in every digit, or differ in one digit only', () => {
    const m = 50;
    const constant = Uint32Array.from({ length: 2 * m }, (_, i) => 0x3c123456 | (i % 3 === 0 ? 0x80000000 : 0));
    const lowDigit = Uint32Array.from({ length: 2 * m }, (_, i) => 0x3c000000 + ((i * 37) % 2048));
    const middleDigit = Uint32Array.from({ length: 2 * m }, (_, i) => 0x3c000000 + (((i * 11) % 64) << 11));
    for (const [label, bits] of [['constant', constant], ['low digit', lowDigit], ['middle digit', middleDigit]] as const) {
      for (const inverse of [false, true]) check({ bits, m, density: 0.5, epsilon: 0.3, inverse, offset: 0, start: 0 }, `${label} inverse=${inverse}`);
    }
  });

  it('a range at an offset, and flat indices past 2^32 (the hash is on the index mod 2^32)', () => {
    const m = 64;
    const bits = mixedBits(4 * m, 99);
    check({ bits, m, density: 0.5, epsilon: 0.2, inverse: true, offset: 3 * m, start: 2 * m }, 'offset');
    check({ bits, m, density: 0.5, epsilon: 0.2, inverse: false, offset: 2 ** 32 - 2 * m, start: m }, 'past 2^32');
  });

  it('keeps the top entry and drops the bottom one when their probabilities are 1 and 0 (hand-computed)', () => {
    // d = 0.5, ε = 0.5: p runs from 0 (smallest |x|) to 1 (largest) over the row; every other rank is random.
    const values = [0.25, -4, 1, 0.5, -2];
    const bits = new Uint32Array(new Float32Array(values).buffer);
    const got = new Float32Array(drop(wasm, { bits, m: 5, density: 0.5, epsilon: 0.5, inverse: true, offset: 0, start: 0 }).buffer);
    // |−4| ranks highest: p = 1, kept, times float32(1/1); 0.25 ranks lowest: p = 0, dropped to +0.
    expect(got[1]).toBe(-4);
    expect(Object.is(got[0], 0)).toBe(true);
  });
});
