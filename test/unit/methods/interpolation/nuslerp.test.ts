import { describe, expect, it } from 'vitest';
import { expectClose, runMethod } from '../harness.js';
import { expectSameBits, randomTensor } from './helpers.js';

const S = Math.SQRT1_2;
const equal = [{ weight: 1 }, { weight: 1 }];
// A = [[1,0],[1,0]], B = [[0,1],[1,0]] (2×2, row-major).
const A = [1, 0, 1, 0];
const B = [0, 1, 1, 0];

describe('nuslerp', () => {
  it('flattened (default): cos = 1/2, θ = π/3, c = sin(π/6)/sin(π/3) on each', () => {
    const c = 0.5 / Math.sin(Math.PI / 3);
    const { out } = runMethod('nuslerp', { models: [A, B], modelParams: equal, shape: [2, 2] });
    expectClose(out, [c, c, 2 * c, 0]);
  });

  it('rows (nuslerp_flatten false): row 0 orthogonal, row 1 identical (lerp)', () => {
    const { out } = runMethod('nuslerp', { models: [A, B], modelParams: equal, shape: [2, 2], global: { nuslerp_flatten: false } });
    expectClose(out, [S, S, 1, 0]);
  });

  it('columns (nuslerp_row_wise): column 0 at π/4, column 1 with a zero vector (u = 0, θ = π/2)', () => {
    const c = Math.sin(Math.PI / 8) / Math.sin(Math.PI / 4);
    const { out } = runMethod('nuslerp', {
      models: [A, B],
      modelParams: equal,
      shape: [2, 2],
      global: { nuslerp_flatten: false, nuslerp_row_wise: true },
    });
    // column 0: c·([1,1] + [0,1]); column 1: sin(π/4)·[1,0]
    expectClose(out, [c, S, 2 * c, 0]);
  });

  it('t = w2/(w1 + w2): weights (2, 0) give the first model, with a base added back', () => {
    const base = [0.5, -1, 2];
    const { out } = runMethod('nuslerp', { base, models: [[1, 2, 3], [3, 2, 1]], modelParams: [{ weight: 2 }, { weight: 0 }] });
    expectClose(out, [1, 2, 3]);
  });

  it('weights summing to ~0 interpolate halfway, with a warning', () => {
    const { out, warnings } = runMethod('nuslerp', { models: [[1, 0], [0, 1]], modelParams: [{ weight: 1 }, { weight: -1 }] });
    expectClose(out, [S, S]);
    expect(warnings.join()).toMatch(/t = 0\.5/);
  });

  it('dim-0 vectors give the bits of last-dim vectors of the transposed tensor (column sums follow the block rule)', () => {
    const rows = 5000; // > 4096: columns span two summation blocks
    const cols = 3;
    const a = randomTensor(rows * cols, 11);
    const b = randomTensor(rows * cols, 12);
    const base = randomTensor(rows * cols, 13, 0.5);
    const transpose = (x: Float32Array, r: number, c: number) => {
      const y = new Float32Array(x.length);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) y[j * r + i] = x[i * c + j];
      return y;
    };
    const modelParams = [{ weight: 0.3 }, { weight: 0.9 }];
    const byColumns = runMethod('nuslerp', {
      base,
      models: [a, b],
      modelParams,
      shape: [rows, cols],
      global: { nuslerp_flatten: false, nuslerp_row_wise: true },
    }).out;
    const byRowsOfTranspose = runMethod('nuslerp', {
      base: transpose(base, rows, cols),
      models: [transpose(a, rows, cols), transpose(b, rows, cols)],
      modelParams,
      shape: [cols, rows],
      global: { nuslerp_flatten: false },
      chunk: 8192,
    }).out;
    expectSameBits(byColumns, transpose(byRowsOfTranspose, cols, rows));
  });
});
