/** A parameter's value against its descriptor, with the reasons a user reads. */
import { describe, expect, it } from 'vitest';
import { getMethod } from '../../../common/methods/registry.js';
import { checkParamValue } from '../../../electron/engine/plan/param-value-check.js';

const density = getMethod('ties')!.params.find((p) => p.name === 'density')!;

describe('checkParamValue', () => {
  it('says a YAML .nan, .inf or 1e400 is not finite (it said "got null")', () => {
    expect(checkParamValue(density, Number.NaN)).toEqual({ ok: false, reason: 'must be a finite number, got NaN' });
    expect(checkParamValue(density, Number.POSITIVE_INFINITY)).toEqual({ ok: false, reason: 'must be a finite number, got Infinity' });
    expect(checkParamValue(density, '1e400')).toEqual({ ok: false, reason: 'must be a finite number, got Infinity' });
  });
  it('reads numeric text as mergekit does, and names other text', () => {
    expect(checkParamValue(density, '0.5')).toEqual({ ok: true, value: 0.5 });
    expect(checkParamValue(density, 'half')).toEqual({ ok: false, reason: 'must be a number, got "half"' });
  });
});
