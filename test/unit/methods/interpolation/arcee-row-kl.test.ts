import { describe, expect, it } from 'vitest';
import { RowSoftmaxKl, rowKl } from '../../../../electron/engine/methods/interpolation/arcee-row-kl.js';
import { randomTensor } from './helpers.js';

describe("arcee_fusion's row divergence", () => {
  it('KL(softmax([ln 3, 0]) ‖ softmax([0, 0])) = ¾·ln(3/2) + ¼·ln(1/2)', () => {
    const a = Float32Array.from([0, 0]);
    const b = Float32Array.from([Math.log(3), 0]);
    // p = (3/4, 1/4), q = (1/2, 1/2); the +1e-8 inside the logs moves it by < 1e-7.
    expect(rowKl(a, b, 0, 2)).toBeCloseTo(0.75 * Math.log(1.5) + 0.25 * Math.log(0.5), 6);
  });

  it('is 0 for rows that differ by a constant (same softmax)', () => {
    const a = Float32Array.from([1, 2, 3]);
    const b = Float32Array.from([5, 6, 7]);
    expect(rowKl(a, b, 0, 3)).toBe(0);
  });

  it('a row fed in pieces gives the bits of the whole row', () => {
    const n = 10000;
    const a = randomTensor(n, 81, 0.1);
    const b = randomTensor(n, 82, 0.1);
    const whole = rowKl(a, b, 0, n);
    const pieces = new RowSoftmaxKl();
    for (const stage of [pieces.observeMax, pieces.observeNormalisers, pieces.observeDivergence]) {
      for (let p = 0; p < n; p += 4096) stage.call(pieces, a.subarray(p), b.subarray(p), 0, Math.min(4096, n - p));
    }
    expect(pieces.value()).toBe(whole);
    expect(whole).toBeGreaterThan(0);
  });

  it('with kept exponentials, the bits of the three passes (at an offset, with ±Inf and NaN rows too)', () => {
    const n = 5000;
    const exps = { a: new Float64Array(n), b: new Float64Array(n) };
    const a = randomTensor(n + 7, 83, 0.3);
    const b = randomTensor(n + 7, 84, 0.3);
    const threePasses = (x: Float32Array, y: Float32Array, off: number, len: number): number => {
      const kl = new RowSoftmaxKl();
      kl.observeMax(x, y, off, len);
      kl.observeNormalisers(x, y, off, len);
      kl.observeDivergence(x, y, off, len);
      return kl.value();
    };
    for (const [off, len] of [[0, n], [7, n], [3, 1], [0, 2]]) {
      expect(Object.is(rowKl(a, b, off, len, exps), threePasses(a, b, off, len))).toBe(true);
    }
    const special = Float32Array.from([1, Infinity, -2, NaN, 0.5]);
    expect(Object.is(rowKl(special, b, 0, 5, exps), threePasses(special, b, 0, 5))).toBe(true);
    expect(Object.is(rowKl(b, special, 0, 5, exps), threePasses(b, special, 0, 5))).toBe(true);
  });
});
