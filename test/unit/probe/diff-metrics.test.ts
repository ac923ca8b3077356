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

  it('no coordinate where both task vectors are non-zero: the sign-conflict share is undefined (null), not 0', () => {
    // A − C = [1, 0], B − C = [0, −2]: never both non-zero. A model against itself as its own base: all zero.
    expect(diffTensor({ name: 'w', a: s([2, 1]), b: s([1, -1]), c: s([1, 1]) }).signConflict).toBeNull();
    expect(diffTensor({ name: 'w', a: s([1, 2]), b: s([1, 2]), c: s([1, 2]) }).signConflict).toBeNull();
    // One contested coordinate with equal signs: 0 of 1.
    expect(diffTensor({ name: 'w', a: s([2, 1]), b: s([3, -1]), c: s([1, 1]) }).signConflict).toBe(0);
  });

  it('a zero task vector for A gives no ratio', () => {
    const r = diffTensor({ name: 'w', a: s([1, 1]), b: s([2, 0]), c: s([1, 1]) });
    expect(r.taskNormA).toBe(0);
    expect(r.taskNormRatio).toBeNull();
  });
});

describe('diffTensor: the extended metrics', () => {
  it('norm sag of the linear average: two orthogonal weights of equal norm sag to 1/√2', () => {
    const r = diffTensor({ name: 'w', a: s([3, 4, 0]), b: s([0, 0, 5]) });
    expect(r.averageNorm).toBeCloseTo(Math.sqrt(12.5), 6);
    expect(r.normSag).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('three models with a base: mean pairwise cosine, contested sign conflicts, norm ratio, sag, non-zero counts, kept at a density', () => {
    // Task vectors (base 0): A = [1, 2, 0, −1], B = [2, −1, 1, 0], D = [0, 1, −1, 1].
    // Norms² 6, 6, 3; dots A·B = 0, A·D = 1, B·D = −2 → mean cosine (0 + 1/√18 − 2/√18)/3.
    // Contested coordinates (≥ 2 non-zero): all four; mixed signs at 1, 2, 3 → 3/4.
    const r = diffTensor(
      { name: 'w', a: s([1, 2, 0, -1]), b: s([2, -1, 1, 0]), more: [s([0, 1, -1, 1])], c: s([0, 0, 0, 0]) },
      undefined,
      { density: 0.5 },
    );
    expect(r.models).toBe(3);
    expect(r.cosine).toBeCloseTo(-1 / Math.sqrt(18) / 3, 12);
    expect(r.signConflict).toBe(0.75);
    expect(r.taskNorms!.map((v) => v * v)).toEqual([6, 6, 3].map((v) => expect.closeTo(v, 10)));
    expect(r.normRatio).toBeCloseTo(Math.SQRT2, 12);
    // The first two still give maxAbs and relL2: A − B = [−1, 3, −1, −1].
    expect(r.maxAbs).toBe(3);
    expect(r.relL2).toBeCloseTo(Math.SQRT2, 12);
    // Average (A + B + D)/3 = [3, 2, 0, 0]/3.
    expect(r.normSag).toBeCloseTo(Math.sqrt(13) / (2 * Math.sqrt(6) + Math.sqrt(3)), 6);
    expect(r.taskNonzero).toEqual([3, 3, 3]);
    // TIES at density 0.5 keeps the top ⌊0.5·4⌋ = 2 magnitudes: 2 of each model's 3 non-zero.
    expect(r.taskKept).toEqual([2, 2, 2]);
    expect(r.keptFraction).toEqual([2 / 3, 2 / 3, 2 / 3]);
  });

  it('for two models the generalised cosine and sign conflict are the pairwise ones; no density, no kept share', () => {
    const r = diffTensor({ name: 'w', a: s([3, 4, 0]), b: s([0, 0, 5]), c: s([1, 1, 1]) });
    expect(r.models).toBe(2);
    expect(r.taskNonzero).toEqual([3, 3]);
    expect(r.normRatio).toBeCloseTo(Math.sqrt(18 / 14), 12);
    expect(r.taskKept).toBeNull();
    expect(r.keptFraction).toBeNull();
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
    expect(l0.nan).toEqual([0, 1]);
    // A: 3 and 4 non-zero; B: NaN and 2 (a NaN coordinate is not zero).
    expect(l0.taskNonzero).toEqual([2, 2]);
  });

  it('layer kept shares pool the counts; layer sag is the average norm of the layer over its mean input norm', () => {
    const t1 = { ...diffTensor({ name: 'a', a: s([1, 2, 3, 4]), b: s([0, 0, 0, 1]), c: s([0, 0, 0, 0]) }, undefined, { density: 0.25 }), layer: 0 } as DiffRow;
    const t2 = { ...diffTensor({ name: 'b', a: s([1, 0]), b: s([0, 1]), c: s([0, 0]) }, undefined, { density: 0.5 }), layer: 0 } as DiffRow;
    // t1 keeps ⌊0.25·4⌋ = 1: A 1 of 4, B 1 of 1. t2 keeps 1: A 1 of 1, B 1 of 1. Layer: A 2/5, B 2/2.
    const [l0] = aggregateLayers([t1, t2]);
    expect(l0.taskKept).toEqual([2, 2]);
    expect(l0.keptFraction).toEqual([0.4, 1]);
    // Averages [0.5, 1, 1.5, 2.5] and [0.5, 0.5]: ‖·‖² = 9.75 + 0.5; inputs ‖A‖² = 30 + 1, ‖B‖² = 1 + 1.
    expect(l0.normSag).toBeCloseTo(Math.sqrt(10.25) / ((Math.sqrt(31) + Math.sqrt(2)) / 2), 6);
  });
});
