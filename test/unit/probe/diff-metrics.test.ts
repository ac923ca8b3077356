/** Weight-space diagnostics: task-vector norms and their ratio, NaN/Inf counts, per-layer aggregation (hand-computed). */
import { describe, expect, it } from 'vitest';
import { aggregateLayers, diffTensor, type DiffRow } from '../../../electron/engine/diagnostics/diff.js';
import { ArrayStream } from '../../../electron/engine/methods/memory-stream.js';

const s = (v: number[]) => new ArrayStream(Float32Array.from(v));

describe('diffTensor', () => {
  it('task-vector norms and their ratio from a base', () => {
    // A − C = [2, 3, −1], B − C = [−1, −1, 4]
    const r = diffTensor({ name: 'w', a: s([3, 4, 0]), b: s([0, 0, 5]), c: s([1, 1, 1]) });
    expect(r.normA).toBeCloseTo(5, 12);
    expect(r.normB).toBeCloseTo(5, 12);
    expect(r.taskNormA).toBeCloseTo(Math.sqrt(14), 12);
    expect(r.taskNormB).toBeCloseTo(Math.sqrt(18), 12);
    expect(r.taskNormRatio).toBeCloseTo(Math.sqrt(18 / 14), 12);
    expect(r.cosine).toBeCloseTo((-2 - 3 - 4) / Math.sqrt(14 * 18), 12);
    expect(r.signConflict).toBeCloseTo(1, 12);
    // the existing keys are still there
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['name', 'maxAbs', 'relL2', 'cosine', 'signConflict']));
  });

  it('no base: no task-vector metrics', () => {
    const r = diffTensor({ name: 'w', a: s([1, 2]), b: s([1, 2]) });
    expect(r.taskNormA).toBeNull();
    expect(r.taskNormB).toBeNull();
    expect(r.taskNormRatio).toBeNull();
    expect(r.nanBase + r.infBase).toBe(0);
  });

  it('counts NaN and ±Inf in each input', () => {
    const r = diffTensor({ name: 'w', a: s([NaN, Infinity, 1, -Infinity]), b: s([0, NaN, NaN, 2]), c: s([Infinity, 0, 0, 0]) });
    expect([r.nanA, r.infA, r.nanB, r.infB, r.nanBase, r.infBase]).toEqual([1, 2, 2, 0, 0, 1]);
  });

  it('a zero task vector for A gives no ratio', () => {
    const r = diffTensor({ name: 'w', a: s([1, 1]), b: s([2, 0]), c: s([1, 1]) });
    expect(r.taskNormA).toBe(0);
    expect(r.taskNormRatio).toBeNull();
  });
});

describe('aggregateLayers', () => {
  it('layer norms are the L2 norm of the layer, counts add up', () => {
    const t1 = { ...diffTensor({ name: 'model.layers.0.a', a: s([3, 0]), b: s([0, 0]), c: s([0, 0]) }), layer: 0 } as DiffRow;
    const t2 = { ...diffTensor({ name: 'model.layers.0.b', a: s([0, 4]), b: s([NaN, 2]), c: s([0, 0]) }), layer: 0 } as DiffRow;
    const [l0] = aggregateLayers([t1, t2]);
    expect(l0.taskNormA).toBeCloseTo(5, 12);
    expect(l0.normA).toBeCloseTo(5, 12);
    expect(l0.nanB).toBe(1);
    expect(l0.numel).toBe(4);
  });
});
