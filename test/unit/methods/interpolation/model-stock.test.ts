import { describe, expect, it } from 'vitest';
import { getKernel } from '../../../../electron/engine/methods/index.js';
import { KernelError } from '../../../../electron/engine/methods/kernel.js';
import { expectClose, runMethod } from '../harness.js';

// Base all ones; task vectors δA = [[1,1],[1,0]], δB = [[1,0],[1,0]].
const base = [1, 1, 1, 1];
const A = [2, 2, 2, 1];
const B = [2, 1, 2, 1];

describe('model_stock', () => {
  it('per tensor: cos θ = 2/√6, t = 2cos/(1 + cos), out = t·mean + (1 − t)·b', () => {
    const cos = 2 / Math.sqrt(6);
    const t = (2 * cos) / (1 + cos);
    const mean = [2, 1.5, 2, 1];
    const { out } = runMethod('model_stock', { base, models: [A, B], shape: [2, 2] });
    expectClose(out, mean.map((m) => t * m + (1 - t) * 1));
  });

  it('filter_wise: row 0 at cos = 1/√2, row 1 identical task vectors (t = 1: the mean)', () => {
    const t0 = (2 * Math.SQRT1_2) / (1 + Math.SQRT1_2);
    const { out } = runMethod('model_stock', { base, models: [A, B], shape: [2, 2], global: { filter_wise: true } });
    expectClose(out, [t0 * 2 + (1 - t0), t0 * 1.5 + (1 - t0), 2, 1]);
  });

  it('three models: cos θ is the mean over the three pairs', () => {
    // δ = e1, e2, e1 + e2: cosines 0, 1/√2, 1/√2 → mean √2/3.
    const cos = Math.SQRT2 / 3;
    const t = (3 * cos) / (1 + 2 * cos);
    const { out } = runMethod('model_stock', { base: [0, 0], models: [[1, 0], [0, 1], [1, 1]] });
    expectClose(out, [(t * 2) / 3, (t * 2) / 3]);
  });

  it('orthogonal task vectors give t = 0: the base, bit-exactly', () => {
    const b = [-0, 3.25];
    const { out } = runMethod('model_stock', { base: b, models: [[1, 3.25], [-0, 5]] });
    expect(Object.is(out[0], -0)).toBe(true);
    expect(out[1]).toBe(3.25);
  });

  it('1 + (N − 1)·cos θ = 0 is an error naming the tensor', () => {
    const run = () => runMethod('model_stock', { base: [0, 0], models: [[1, 0], [-1, 0]], name: 'model.norm.weight' });
    expect(run).toThrow(KernelError);
    expect(run).toThrow(/model\.norm\.weight/);
  });

  it('validation: a base and at least two other models', () => {
    const k = getKernel('model_stock');
    const v = (n: number, hasBase: boolean) =>
      k.validate!({ modelParams: new Array(n).fill({}), global: { filter_wise: false }, hasBase, numel: 4 }).map((p) => p.param);
    expect(v(1, true)).toEqual(['models']);
    expect(v(2, false)).toEqual(['base_model']);
    expect(v(2, true)).toEqual([]);
  });
});
