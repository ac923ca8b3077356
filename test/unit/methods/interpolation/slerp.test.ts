import { describe, expect, it } from 'vitest';
import { getKernel } from '../../../../electron/engine/methods/index.js';
import { expectClose, runMethod } from '../harness.js';
import { expectSameBits, randomTensor } from './helpers.js';

const fr = Math.fround;

describe('slerp', () => {
  const base = randomTensor(10000, 1);
  base[3] = -0; // t = 0 must keep even the sign of zero
  const other = randomTensor(10000, 2);

  it('t = 0 returns the base bit-exactly', () => {
    expectSameBits(runMethod('slerp', { base, models: [other], global: { t: 0 } }).out, base);
  });

  it('t = 1 returns the other model', () => {
    expectSameBits(runMethod('slerp', { base, models: [other], global: { t: 1 } }).out, other);
  });

  it('lerps between nearly parallel vectors (|cos| > 0.9995)', () => {
    const near = Float32Array.from(base, (v, i) => v * 1.5 + 1e-4 * Math.sin(i));
    const t = 0.3;
    const { out } = runMethod('slerp', { base, models: [near], global: { t } });
    // (1 − t)·v0 + t·v1 with float32 coefficients, one rounding per operation.
    const expected = Float32Array.from(base, (v, i) => fr(fr(fr(1 - t) * v) + fr(fr(t) * near[i])));
    expectSameBits(out, expected);
  });

  it('does not clamp t: t = −0.5 between [1,0] and [0,1]', () => {
    // θ = π/2: sin(1.5·π/2) = √2/2, sin(−π/4) = −√2/2.
    expectClose(runMethod('slerp', { base: [1, 0], models: [[0, 1]], global: { t: -0.5 } }).out, [Math.SQRT1_2, -Math.SQRT1_2]);
  });

  it('uses a vector of norm ≤ 1e-8 unnormalised', () => {
    // cos = ⟨v0, v1/‖v1‖⟩ with v0 = 0: 0, so θ = π/2 and out = sin(π/4)·v1 at t = 0.5.
    expectClose(runMethod('slerp', { base: [0, 0], models: [[3, 4]], global: { t: 0.5 } }).out, [3 * Math.SQRT1_2, 4 * Math.SQRT1_2]);
  });

  it('copies the base when the other model lacks the tensor', () => {
    expectSameBits(runMethod('slerp', { base, models: [], global: { t: 0.5 } }).out, base);
  });

  it('validation: needs the base, at most one other model', () => {
    const k = getKernel('slerp');
    expect(k.validate!({ modelParams: [{}], global: { t: 0.5 }, hasBase: false, numel: 4 }).map((p) => p.param)).toEqual(['base_model']);
    expect(k.validate!({ modelParams: [{}, {}], global: { t: 0.5 }, hasBase: true, numel: 4 }).map((p) => p.param)).toEqual(['models']);
    expect(k.validate!({ modelParams: [{}], global: { t: 0.5 }, hasBase: true, numel: 4 })).toEqual([]);
    expect(k.splittable({ t: 0.5 }, [{}])).toBe(false);
  });
});
