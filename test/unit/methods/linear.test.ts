import { describe, expect, it } from 'vitest';
import { runMethod, expectClose } from './harness.js';

describe('linear', () => {
  it('matches the spec golden value (w = 1, 3; normalize)', () => {
    const { out } = runMethod('linear', {
      models: [[1, 2, 3], [3, 2, 1]],
      modelParams: [{ weight: 1 }, { weight: 3 }],
    });
    expectClose(out, [2.5, 2, 1.5]);
  });

  it('returns a single model bit-exactly whatever its weight', () => {
    const x = Float32Array.from({ length: 10000 }, (_, i) => Math.sin(i * 1.7) * 3.1e-3 + i * 1e-7);
    const { out } = runMethod('linear', { models: [x], modelParams: [{ weight: 0.3 }] });
    expect(Buffer.from(out.buffer).equals(Buffer.from(x.buffer))).toBe(true);
  });

  it('without normalize is the plain weighted sum', () => {
    const { out } = runMethod('linear', {
      models: [[1, 2], [3, 4]],
      modelParams: [{ weight: 2 }, { weight: -1 }],
      global: { normalize: false },
    });
    expectClose(out, [-1, 0]);
  });
});
