/** Fisher merging (spec §4) on hand-computed cases, its limits, chunking, and its validation. */
import { describe, expect, it } from 'vitest';
import { getMethod } from '../../../common/methods/registry.js';
import { fisherKernel, fisherWeightProblems } from '../../../electron/engine/fisher/fisher-kernel.js';
import { getKernel } from '../../../electron/engine/methods/index.js';
import { makeRng } from '../../helpers/prng.js';
import { expectClose } from '../methods/harness.js';
import { runFisher } from './run-fisher-kernel.js';

describe('fisher kernel', () => {
  it('is registered: descriptor and kernel under one id', () => {
    expect(getMethod('fisher')?.params.map((p) => p.name)).toEqual(['weight']);
    expect(getKernel('fisher')).toBe(fisherKernel);
  });

  it('weights each element by its Fisher: (1·1 + 3·3)/(1 + 3) = 2.5', () => {
    expectClose(runFisher([[1], [3]], [[1], [3]]), [2.5], 1e-7);
  });

  it('gives the weighted mean where the Fisher vanishes or is equal', () => {
    // F = 0: (1·ε·2 + 3·ε·4)/(4ε) = 3.5; F = 5 both: (5·2 + 15·4)/20 = 3.5.
    expectClose(runFisher([[2, 2], [4, 4]], [[0, 5], [0, 5]], [1, 3]), [3.5, 3.5], 1e-7);
  });

  it('follows the model whose Fisher dominates', () => {
    expectClose(runFisher([[1, -7], [5, 9]], [[1e6, 0], [0, 1e6]]), [1, 9], 1e-5);
  });

  it('matches the float64 formula on random inputs, whatever the chunk size', () => {
    const rng = makeRng(3);
    const n = 10_000;
    const xs = [rng.floats(n), rng.floats(n), rng.floats(n)];
    const fs = xs.map(() => Float32Array.from(rng.floats(n), (v) => v * v * (rng.uniform() < 0.2 ? 0 : 1)));
    const w = [0.5, 1, 2];
    const want = Array.from({ length: n }, (_, k) => {
      let num = 0;
      let den = 0;
      for (let i = 0; i < 3; i++) {
        num += w[i] * (fs[i][k] + 1e-8) * xs[i][k];
        den += w[i] * (fs[i][k] + 1e-8);
      }
      return num / den;
    });
    const whole = runFisher(xs, fs, w, 16384);
    expectClose(whole, want, 1e-5);
    expect(Array.from(runFisher(xs, fs, w, 4096))).toEqual(Array.from(whole));
  });

  it('refuses negative weights, all-zero weights, and a missing Fisher input', () => {
    expect(fisherWeightProblems([{ weight: 1 }, { weight: -1 }])).toEqual([expect.objectContaining({ param: 'weight', model: 1 })]);
    expect(fisherWeightProblems([{ weight: 0 }, { weight: 0 }])).toHaveLength(1);
    expect(fisherWeightProblems([{ weight: 0 }, { weight: 2 }])).toEqual([]);
    expect(() => runFisher([[1], [2]], [[1]])).toThrow(/one Fisher tensor per model/);
  });

  it('checks only the weights itself: the Fisher inputs are the planner’s to pair (plan-fisher.test.ts)', () => {
    expect(fisherKernel.validate!({ modelParams: [{ weight: 1 }], global: {}, hasBase: false, numel: 4 })).toEqual([]);
  });
});
