/**
 * DELLA's keep decisions kept between the `l1` rescale's two passes (kept-decisions.ts): packing
 * and applying by hand-computed values, and DELLA merges that apply the kept decisions write the
 * bits of the same merges ranking every row again, whole or in ranges, on both backends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MethodId, ResolvedParams } from '../../../../common/methods/types.js';
import { TsBackend } from '../../../../electron/engine/backend/ts-backend.js';
import type { Backend } from '../../../../electron/engine/backend/types.js';
import { WasmBackend } from '../../../../electron/engine/backend/wasm-backend.js';
import { getKernel } from '../../../../electron/engine/methods/index.js';
import type { KernelEnv, KernelTask, RangeStatistics } from '../../../../electron/engine/methods/kernel.js';
import { ArrayStream } from '../../../../electron/engine/methods/memory-stream.js';
import { applyDecisions, packDecisions, packedBytes } from '../../../../electron/engine/methods/task-vector/kept-decisions.js';
import type { TaskVectorState } from '../../../../electron/engine/methods/task-vector/pipeline.js';
import { ensureKernelsBuilt } from '../../backend/kernels-built.js';
import { withDefaults } from '../harness.js';
import { bf16, randomVector, sameBits } from './helpers.js';

describe('packed decisions', () => {
  it('a unit of 11 entries takes two bytes, the next unit starts on the third', () => {
    expect(packedBytes(22, 11)).toBe(4);
    expect(packedBytes(23, 11)).toBe(6);
    const bits = new Uint8Array(4);
    packDecisions(bits, 11, 0, Uint8Array.from([1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1]), 11);
    packDecisions(bits, 11, 11, Uint8Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 11);
    // Entry e of a unit is bit e % 8 of its byte e / 8: 0b10001101, 0b101; 0b10, 0b100.
    expect(Array.from(bits)).toEqual([0x8d, 0x05, 0x02, 0x04]);
  });

  it('applying them keeps kept entries bit for bit (−0 included), drops the others to +0 and quiets a signalling NaN', () => {
    const bits = Uint8Array.from([0b00110101, 0b1]);
    const u = Uint32Array.from([0x3f800000, 0xbf800000, 0x80000000, 0x40000000, 0x7fa00001, 0x7fc00000, 0xff800000, 0x00000001, 0x7f800001]);
    const delta = new Float32Array(u.buffer);
    applyDecisions(bits, 9, 0, delta, 9);
    expect(Array.from(u)).toEqual([0x3f800000, 0, 0x80000000, 0, 0x7fe00001, 0x7fc00000, 0, 0, 0x7fc00001]);
  });

  it('refuses a unit that does not start on a unit boundary', () => {
    expect(() => applyDecisions(new Uint8Array(4), 11, 5, new Float32Array(11), 11)).toThrow(/multiple of the unit/);
  });
});

let wasm: WasmBackend;
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

const MODEL_PARAMS: ResolvedParams[] = [
  { weight: 0.7, density: 0.6, epsilon: 0.1 },
  { weight: -0.4, density: 0.35, epsilon: 0.2 },
  { weight: 1.1, density: 0.8, epsilon: 0.15 },
];

/** The statistics passes and the output pass over these ranges, as the executor runs a split tensor. */
function runSplit(method: MethodId, shape: number[], base: Float32Array, models: Float32Array[], ranges: [number, number][], be: Backend, keep: boolean): { out: Float32Array; kept: boolean } {
  const stats = getKernel(method).statistics as RangeStatistics<TaskVectorState, unknown>;
  const numel = base.length;
  const modelParams = models.map((_, i) => withDefaults(method, 'model', MODEL_PARAMS[i]));
  const global = withDefaults(method, 'global', { rescale_norm: 'l1' });
  const env: KernelEnv = { backend: be, chunk: 4096, checkpoint: () => {}, warn: () => {} };
  const task = (start: number, count: number): KernelTask => ({
    name: 'model.layers.0.mlp.up_proj.weight',
    shape,
    numel: count,
    base: new ArrayStream(base.slice(start, start + count)),
    models: models.map((m) => new ArrayStream(m.slice(start, start + count))),
    modelParams,
    global,
    seed: 5,
    offset: start,
  });
  let state = stats.initial({ name: 'model.layers.0.mlp.up_proj.weight', shape, numel, modelParams, global, seed: 5 });
  expect(state.models.every((m) => m.kind === 'l1' && m.keepsDecisions === true)).toBe(true);
  if (!keep) state = { models: state.models.map((m) => ({ ...m, keepsDecisions: false })) };
  while (stats.wantsPass(state)) state = stats.combine(state, ranges.map(([s, c], i) => stats.observe(task(s, c), state, i, env)));
  const out = new Float32Array(numel);
  ranges.forEach(([s, c], i) => stats.apply(task(s, c), state, i, { write: (at, src, n) => out.set(src.subarray(0, n), s + at) }, env));
  const kept = state.models.every((m) => m.kind === 'l1' && m.decisions?.length === ranges.length);
  return { out, kept };
}

describe('DELLA with the l1 rescale applies the decisions its norms pass kept', () => {
  // Rows of 333 (units of 12 rows: 3996 entries, not a multiple of 8), rows longer than a chunk.
  const cases: [string, number[], [number, number][]][] = [
    ['rows of 333, whole', [40, 333], [[0, 40 * 333]]],
    ['rows of 333, three ranges', [40, 333], [[0, 12 * 333], [12 * 333, 24 * 333], [36 * 333, 4 * 333]]],
    ['rows of 5000, two ranges', [3, 5000], [[0, 5000], [5000, 10000]]],
  ];
  for (const method of ['della', 'della_linear'] as const) {
    for (const [label, shape, ranges] of cases) {
      it(`${method}, ${label}: the same bits as ranking every row again, on both backends`, () => {
        const n = shape[0] * shape[1];
        const base = bf16(randomVector(n, 3, 0.05));
        const models = [1, 2, 3].map((k) => {
          const d = bf16(randomVector(n, 3 + k, 0.01));
          return base.map((b, j) => b + d[j]);
        });
        for (const be of [new TsBackend(), wasm]) {
          const again = runSplit(method, shape, base, models, ranges, be, false);
          const kept = runSplit(method, shape, base, models, ranges, be, true);
          expect(again.kept).toBe(false);
          expect(kept.kept).toBe(true);
          expect(kept.out.some((v, j) => v !== base[j])).toBe(true);
          expect(sameBits(kept.out, again.out)).toBe(true);
        }
      });
    }
  }
});

describe('memory the kept decisions hold', () => {
  const held = (method: MethodId, global: ResolvedParams, params: ResolvedParams[]) =>
    getKernel(method).statistics!.heldBytes!([1000, 333], 333_000, withDefaults(method, 'global', global), params.map((p) => withDefaults(method, 'model', p)));

  it('counts a bit per element of every sparsified model with the l1 rescale (a byte more per row at most), nothing otherwise', () => {
    const bits = 333_000 / 8;
    const l1 = held('della', { rescale_norm: 'l1' }, MODEL_PARAMS);
    expect(l1).toBeGreaterThanOrEqual(3 * bits);
    expect(l1).toBeLessThanOrEqual(3 * (bits + 1000 + 1));
    // Density 1 leaves a model unsparsified: no decisions for it.
    const two = held('della_linear', { rescale_norm: 'l1' }, [MODEL_PARAMS[0], { ...MODEL_PARAMS[1], density: 1 }, MODEL_PARAMS[2]]);
    expect(two).toBeGreaterThanOrEqual(2 * bits);
    expect(two).toBeLessThan(3 * bits);
    expect(held('della', { rescale_norm: 'inverse' }, MODEL_PARAMS)).toBe(0);
    expect(held('ties', { rescale: true }, MODEL_PARAMS)).toBe(0);
  });

  it('keeps none when they would hold more than the limit the run sets: the rows are ranked again', () => {
    const stats = getKernel('della').statistics as RangeStatistics<TaskVectorState, unknown>;
    const global = withDefaults('della', 'global', { rescale_norm: 'l1' });
    const modelParams = MODEL_PARAMS.map((p) => withDefaults('della', 'model', p));
    const input = { name: 't', shape: [1000, 333], numel: 333_000, modelParams, global, seed: 1 };
    const keeps = (holdLimit?: number) => stats.initial({ ...input, holdLimit }).models.map((m) => m.kind === 'l1' && m.keepsDecisions === true);
    const need = stats.heldBytes!([1000, 333], 333_000, global, modelParams);
    expect(keeps()).toEqual([true, true, true]);
    expect(keeps(need)).toEqual([true, true, true]);
    expect(keeps(need - 1)).toEqual([false, false, false]);
    expect(stats.heldBytes!([1000, 333], 333_000, global, modelParams, need - 1)).toBe(0);
  });
});
