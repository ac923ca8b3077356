/** The spec's golden values (§5) for the interpolation kernels, to 1e-6 relative. */
import { describe, it } from 'vitest';
import { expectClose, runMethod } from '../harness.js';

describe('spec §5 golden values', () => {
  it('slerp [1,0]→[0,1], t 0.5', () => {
    expectClose(runMethod('slerp', { base: [1, 0], models: [[0, 1]], global: { t: 0.5 } }).out, [0.70710678, 0.70710678]);
  });

  it('slerp [1,0]→[0,1], t 0.25', () => {
    expectClose(runMethod('slerp', { base: [1, 0], models: [[0, 1]], global: { t: 0.25 } }).out, [0.92387953, 0.38268343]);
  });

  it('slerp [1,0]→[0,2], t 0.5 (raw, un-normalised vectors)', () => {
    expectClose(runMethod('slerp', { base: [1, 0], models: [[0, 2]], global: { t: 0.5 } }).out, [0.70710678, 1.41421356]);
  });

  it('nuslerp: base [1,1], A [2,1], B [1,2], w (1,1)', () => {
    const { out } = runMethod('nuslerp', {
      base: [1, 1],
      models: [[2, 1], [1, 2]],
      modelParams: [{ weight: 1 }, { weight: 1 }],
    });
    expectClose(out, [1.7071068, 1.7071068]);
  });

  it('model_stock: base [0,0], A [1,1], B [1,0]', () => {
    expectClose(runMethod('model_stock', { base: [0, 0], models: [[1, 1], [1, 0]] }).out, [0.82842712, 0.41421356]);
  });

  it('nearswap: a [0,0,0], b [0.001,0.1,1], t 0.01', () => {
    expectClose(runMethod('nearswap', { base: [0, 0, 0], models: [[0.001, 0.1, 1]], global: { t: 0.01 } }).out, [0.001, 0.01, 0.01]);
  });

  it('multislerp: [1,0], [0,1], equal weights', () => {
    const { out } = runMethod('multislerp', { models: [[1, 0], [0, 1]], modelParams: [{ weight: 1 }, { weight: 1 }] });
    expectClose(out, [0.70710678, 0.70710678]);
  });

  it('karcher: [1,0], [0,1]', () => {
    expectClose(runMethod('karcher', { models: [[1, 0], [0, 1]] }).out, [0.70710678, 0.70710678]);
  });
});
