/** nearswap and passthrough: the elementwise (splittable) kernels. */
import { describe, expect, it } from 'vitest';
import { getKernel } from '../../../../electron/engine/methods/index.js';
import { KernelError } from '../../../../electron/engine/methods/kernel.js';
import { expectClose, runMethod } from '../harness.js';
import { expectSameBits, randomTensor } from './helpers.js';

describe('nearswap', () => {
  it('identical models return them', () => {
    const x = randomTensor(9000, 41);
    x[7] = -0;
    expectSameBits(runMethod('nearswap', { base: x, models: [Float32Array.from(x)], global: { t: 0.5 } }).out, x);
  });

  it('swaps fully closer than t, partly beyond, and floors the distance at 1e-6', () => {
    // |a − b| = 0.5 → w = 0.1/0.5 = 0.2; = 0.05 → w = 1 (clamped); = 0 → w = 0.1/1e-6 → 1.
    const { out } = runMethod('nearswap', { base: [0, 1, 2], models: [[0.5, 1.05, 2]], global: { t: 0.1 } });
    expectClose(out, [0.2 * 0.5, 1.05, 2]);
  });

  it('is splittable and validates its inputs', () => {
    const k = getKernel('nearswap');
    expect(k.splittable({ t: 0.1 }, [{}])).toBe(true);
    expect(k.validate!({ modelParams: [{}], global: { t: 0.1 }, hasBase: false, numel: 3 }).map((p) => p.param)).toEqual(['base_model']);
  });
});

describe('passthrough', () => {
  const x = randomTensor(10000, 42);
  x[11] = -0;

  it('scale 1 is a bit-exact copy', () => {
    expectSameBits(runMethod('passthrough', { models: [x] }).out, x);
  });

  it('scales by the per-model scale', () => {
    const { out } = runMethod('passthrough', { models: [[1, -2, 0.5]], modelParams: [{ scale: 0.5 }] });
    expectClose(out, [0.5, -1, 0.25]);
  });

  it('takes exactly one input', () => {
    expect(() => runMethod('passthrough', { models: [[1], [2]] })).toThrow(KernelError);
    const k = getKernel('passthrough');
    expect(k.validate!({ modelParams: [{}, {}], global: {}, hasBase: false, numel: 1 }).map((p) => p.param)).toEqual(['models']);
    expect(k.splittable({}, [{ scale: 2 }])).toBe(true);
  });
});
