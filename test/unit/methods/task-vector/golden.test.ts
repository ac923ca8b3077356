/** Spec §5 golden values for the task-vector family and sce, to 1e-6 relative. */
import { describe, expect, it } from 'vitest';
import type { MaskSource } from '../../../../electron/engine/methods/kernel.js';
import { expectClose, runMethod } from '../harness.js';

const base0 = [0, 0, 0, 0];
const A = [1, -2, 3, 0.5];
const B = [-1.5, 1, 2, -0.25];

describe('spec §5 golden values', () => {
  it('task_arithmetic: w = (1, −0.5)', () => {
    const { out } = runMethod('task_arithmetic', {
      base: [1, 1, 1, 1],
      models: [[2, 0, 1, 1], [1, 3, 1, 0]],
      modelParams: [{ weight: 1 }, { weight: -0.5 }],
    });
    expectClose(out, [2, -1, 1, 1.5]);
  });

  it.each([
    [1, 1, true, [-1.5, -2, 2.5, 0]],
    [1, 1, false, [-1.5, -2, 5, 0]],
    [1, 0.5, true, [-1.5, -2, 2.6666667, 0]],
    [1, 0.5, false, [-0.75, -2, 4, 0]],
  ])('ties density 0.5, w = (%d, %d), normalize %s', (wa, wb, normalize, expected) => {
    const { out } = runMethod('ties', {
      base: base0,
      models: [A, B],
      modelParams: [{ weight: wa, density: 0.5 }, { weight: wb, density: 0.5 }],
      global: { normalize },
    });
    expectClose(out, expected);
  });

  it.each([
    ['dare_ties', [-1.5, -2, 5, 0.5]],
    ['dare_linear', [-0.5, -1, 5, 0.25]],
    ['breadcrumbs_ties', [-1.5, -2, 5, 0.5]],
  ] as const)('%s at density 1, w = (1, 1)', (method, expected) => {
    const { out } = runMethod(method, {
      base: base0,
      models: [A, B],
      modelParams: [{ weight: 1, density: 1 }, { weight: 1, density: 1 }],
    });
    expectClose(out, [...expected]);
  });

  it('ties on three task vectors over six coordinates (and the naive sum)', () => {
    const rows = [
      [0.8, -0.05, 0.6, -0.02, 0.01, 0.5],
      [0.7, 0.04, -0.55, 0.03, -0.02, -0.4],
      [-0.1, 0.9, 0.05, 0.85, 0.02, 0.45],
    ];
    const base = [0, 0, 0, 0, 0, 0];
    const ties = runMethod('ties', {
      base,
      models: rows,
      modelParams: rows.map(() => ({ weight: 1, density: 0.5 })),
      global: { normalize: true },
    });
    expectClose(ties.out, [0.75, 0.9, 0.6, 0.85, 0, 0.475]);
    const sum = runMethod('task_arithmetic', { base, models: rows, modelParams: rows.map(() => ({ weight: 1 })) });
    expectClose(sum.out, [1.4, 0.89, 0.1, 0.86, 0.01, 0.55]);
  });

  it('sce with select_topk 1 and 0.5', () => {
    expectClose(runMethod('sce', { base: base0, models: [A, B], global: { select_topk: 1 } }).out, [-1.5, -2, 2.66086957, 0.5]);
    expectClose(runMethod('sce', { base: base0, models: [A, B], global: { select_topk: 0.5 } }).out, [-1.5, -2, 0, 0]);
    // int8_mask (mergekit's, accepted for compatibility) changes nothing.
    expectClose(runMethod('sce', { base: base0, models: [A, B], global: { select_topk: 1, int8_mask: true } }).out, [-1.5, -2, 2.66086957, 0.5]);
  });

  it('breadcrumbs sparsifier on δ = 1..200, density 0.9, γ 0.01 keeps exactly 19..198', () => {
    const delta = Array.from({ length: 200 }, (_, i) => i + 1);
    const { out } = runMethod('breadcrumbs', {
      base: new Array(200).fill(0),
      models: [delta],
      modelParams: [{ weight: 1, density: 0.9, gamma: 0.01 }],
    });
    expectClose(out, delta.map((v) => (v >= 19 && v <= 198 ? v : 0)));
  });

  it('DARE l1 rescale on δ = 1..200 keeping 101..200 multiplies survivors by 20100/15050', () => {
    const delta = Array.from({ length: 200 }, (_, i) => i + 1);
    const keepUpperHalf: MaskSource = (_model, start, n, keep) => {
      for (let i = 0; i < n; i++) keep[i] = start + i >= 100 ? 1 : 0;
    };
    const { out } = runMethod('dare_linear', {
      base: new Array(200).fill(0),
      models: [delta],
      modelParams: [{ weight: 1, density: 0.5 }],
      global: { rescale: true, rescale_norm: 'l1' },
      maskSource: keepUpperHalf,
    });
    expectClose(out, delta.map((v) => (v > 100 ? (v * 20100) / 15050 : 0)));
  });
});

describe('golden values hold with a non-zero base', () => {
  it('ties, w = (1, 0.5), normalize: the base is added back', () => {
    const base = [0.25, -1, 2, 8];
    const { out } = runMethod('ties', {
      base,
      models: [A.map((v, i) => v + base[i]), B.map((v, i) => v + base[i])],
      modelParams: [{ weight: 1, density: 0.5 }, { weight: 0.5, density: 0.5 }],
    });
    expectClose(out, [-1.5 + 0.25, -2 - 1, 2.6666667 + 2, 8]);
    expect(out.length).toBe(4);
  });
});
