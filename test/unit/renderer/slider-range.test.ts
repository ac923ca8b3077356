import { describe, expect, it } from 'vitest';
import { METHODS } from '../../../common/methods/registry.js';
import type { NumberParam } from '../../../common/methods/types.js';
import { sliderRange } from '../../../renderer/src/components/params/slider-range.js';

const numeric: NumberParam[] = METHODS.flatMap((m) => m.params.filter((p): p is NumberParam => p.type === 'number'));

/** A value the range input can take: min + n·step, within its ends. */
function lands(r: { min: number; max: number; step: number }, v: number): boolean {
  const n = (v - r.min) / r.step;
  return v >= r.min - 1e-12 && v <= r.max + 1e-12 && Math.abs(n - Math.round(n)) < 1e-6;
}

describe('the slider of a numeric parameter', () => {
  it('lands exactly on its ends, on 0 and 1 where in range, and on its default: every parameter of every method', () => {
    const missed: string[] = [];
    for (const p of numeric) {
      const r = sliderRange(p);
      const wanted = [r.min, r.max, ...[0, 1].filter((v) => v >= r.min && v <= r.max)];
      if (!wanted.every((v) => lands(r, v))) missed.push(`${p.name} ends/0/1`);
      if (p.default !== undefined && !lands(r, p.default)) missed.push(`${p.name} default ${p.default}`);
    }
    // ε's 1e-8 on 0…1 would take a hundred million positions: the number box takes it.
    expect(missed).toEqual(['eps default 1e-8']);
  });

  it('steps by a hundredth on −1…2 and ±2 ranges (weight, α): 1.0 is a position, not 0.98 or 1.01', () => {
    const weight = numeric.find((p) => p.name === 'weight' && p.softMin === -1)!;
    expect(sliderRange(weight)).toEqual({ min: -1, max: 2, step: 0.01 });
    const alpha: NumberParam = { name: 'alpha', label: 'α', type: 'number', scope: 'global', perLayer: false, default: 1, softMin: -2, softMax: 2, description: '' };
    expect(sliderRange(alpha)).toEqual({ min: -2, max: 2, step: 0.01 });
  });

  it('stops one step inside an excluded end, and reaches a default above an open-ended range', () => {
    const density = numeric.find((p) => p.name === 'density')!;
    expect(sliderRange(density)).toEqual({ min: 0.01, max: 1, step: 0.01 });
    // Max iterations (default 10, from 1 up) used to slide over 1…2 only.
    const maxIter = numeric.find((p) => p.name === 'max_iter')!;
    expect(sliderRange(maxIter)).toEqual({ min: 1, max: 20, step: 1 });
  });

  it('takes a finer step only for a default off the coarse grid', () => {
    const p = (def: number): NumberParam => ({ name: 'x', label: 'x', type: 'number', scope: 'global', perLayer: false, default: def, min: 0, max: 1, description: '' });
    expect(sliderRange(p(0.15)).step).toBe(0.01);
    expect(sliderRange(p(0.125)).step).toBe(0.001);
  });
});
