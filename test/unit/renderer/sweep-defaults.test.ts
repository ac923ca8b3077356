/** The sweep's default ranges (values the method accepts) and the refused cells' reasons, once each. */
import { describe, expect, it } from 'vitest';
import { getMethod } from '../../../common/methods/registry.js';
import type { MethodId, NumberParam } from '../../../common/methods/types.js';
import { sweepRange } from '../../../renderer/src/analysis/sweep-range.js';
import { sweepCells, sweepRefusals, type SweepRun } from '../../../renderer/src/analysis/sweep-store.js';

function range(method: MethodId, param: string, own = {}) {
  const m = getMethod(method);
  const p = m?.params.find((q): q is NumberParam => q.name === param && q.type === 'number');
  if (!p) throw new Error(`${method} has no ${param}`);
  return sweepRange(m, p, own);
}

describe('sweepRange', () => {
  it('starts density at 0.1, not at the slider’s 0.01 that keeps nothing of a small tensor', () => {
    expect(range('ties', 'density')).toEqual({ min: 0.1, max: 1 });
    expect(range('dare_linear', 'density')).toEqual({ min: 0.1, max: 1 });
  });
  it('keeps DELLA’s density ± ε inside (0, 1)', () => {
    expect(range('della', 'density')).toEqual({ min: 0.2, max: 0.8 });
    expect(range('della', 'density', { epsilon: 0.3 })).toEqual({ min: 0.35, max: 0.65 });
    expect(range('della', 'epsilon', { density: 0.5 })).toEqual({ min: 0, max: 0.45 });
    expect(range('della', 'epsilon', { density: 0.2 })).toEqual({ min: 0, max: 0.15 });
  });
  it('starts weights at 0 (a negative one can bring a normalized sum to 0) and leaves λ to its slider', () => {
    expect(range('linear', 'weight')).toEqual({ min: 0, max: 2 });
    expect(range('ties', 'lambda')).toEqual({ min: 0, max: 2 });
  });
});

const axis = (label: string, values: number[]) => ({ param: label, sourceId: null, label, axis: { param: label }, values });

function run(values: [number[], number[]], error: (a: number, b: number) => string | undefined): SweepRun {
  const [va, vb] = values;
  const cells = va.flatMap((a, i) => vb.map((b, j) => ({ type: 'cell' as const, index: i * vb.length + j, values: [a, b], losses: [1], mean: 1, error: error(a, b) })));
  return { id: 's', taskId: null, nodeId: 'n', title: 't', axes: [axis('density', va), axis('λ', vb)], probe: { texts: [] }, textNames: ['x'], status: 'done', cells, result: null, progress: null, error: null } as unknown as SweepRun;
}

const refusals = (r: SweepRun) => sweepRefusals(r, sweepCells(r).cells, String);

describe('sweepRefusals', () => {
  it('names a refused row once, by its value', () => {
    const r = run([[0.01, 0.5, 1], [0, 1]], (a) => (a === 0.01 ? 'density 0.01 keeps 0' : undefined));
    expect(refusals(r)).toEqual([{ where: 'density = 0.01', reason: 'density 0.01 keeps 0' }]);
  });
  it('names a refused column, every cell, and scattered cells one by one', () => {
    expect(refusals(run([[0.5, 1], [0, 1]], (_, b) => (b === 1 ? 'no' : undefined)))).toEqual([{ where: 'λ = 1', reason: 'no' }]);
    expect(refusals(run([[0.5, 1], [0, 1]], () => 'never'))).toEqual([{ where: 'Every cell', reason: 'never' }]);
    expect(refusals(run([[0.5, 1], [0, 1]], (a, b) => (a === b - 0.5 || (a === 1 && b === 0) ? 'odd' : undefined)))).toEqual([
      { where: 'density = 0.5, λ = 1; density = 1, λ = 0', reason: 'odd' },
    ]);
  });
  it('is empty when nothing is refused', () => {
    expect(refusals(run([[0.5], [0]], () => undefined))).toEqual([]);
  });
});
