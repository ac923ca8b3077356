import { describe, expect, it } from 'vitest';
import { linspace, sweepCells, type SweepRun } from '../../../renderer/src/analysis/sweep-store.js';
import { curveData, barrierPoint, lowestPoint, type BarrierRun } from '../../../renderer/src/analysis/barrier-store.js';

const run = (over: Partial<SweepRun> = {}): SweepRun => ({
  id: 's',
  taskId: null,
  nodeId: 'm',
  title: 't',
  axes: [
    { param: 'lambda', sourceId: null, label: 'λ', axis: { param: 'lambda' }, values: [0, 1] },
    { param: 'density', sourceId: 'a', label: 'd', axis: { param: 'density', model: 0 }, values: [0.5, 1] },
  ],
  probe: { texts: [{ kind: 'bundled', name: 'prose.txt' }] },
  textNames: ['prose.txt'],
  status: 'running',
  cells: [],
  result: null,
  progress: null,
  error: null,
  ...over,
});

describe('sweep grid', () => {
  it('spaces values evenly at 6 significant digits', () => {
    expect(linspace(0, 2, 3)).toEqual([0, 1, 2]);
    expect(linspace(0.01, 1, 3)).toEqual([0.01, 0.505, 1]);
    expect(linspace(0.3, 0.9, 1)).toEqual([0.3]);
  });

  it('fills cells as they arrive and marks the lowest mean that was not refused as best', () => {
    const cells: SweepRun['cells'] = [];
    cells[3] = { type: 'cell', index: 3, values: [1, 1], losses: [2], mean: 2 };
    cells[1] = { type: 'cell', index: 1, values: [0, 1], losses: [null], mean: null, error: 'keeps nothing' };
    cells[2] = { type: 'cell', index: 2, values: [1, 0.5], losses: [3], mean: 3 };
    const v = sweepCells(run({ cells }));
    expect(v.cells.map((c) => c?.index ?? null)).toEqual([null, 1, 2, 3]);
    expect(v.best).toBe(3);
  });
});

describe('barrier curve data', () => {
  it('shows known points, the lowest one and where the curve rises furthest above the chord', () => {
    const r: BarrierRun = {
      id: 'b',
      taskId: null,
      nodeId: 'm',
      title: 't',
      target: { kind: 'interpolate', a: 'a', b: 'b', label: 'A → B' },
      recipe: null,
      recipeDir: '/',
      probe: { texts: [{ kind: 'bundled', name: 'x' }] },
      textNames: ['x'],
      points: 5,
      status: 'running',
      partial: [],
      result: null,
      progress: null,
      error: null,
      startedAt: 0,
    };
    const losses = [2, 2.6, 2.4, 1.9, 2.2];
    losses.forEach((l, j) => (r.partial[j] = { type: 'point', index: j, lambda: j / 4, value: null, losses: [l], mean: l }));
    const d = curveData(r);
    expect(d.mean).toEqual(losses);
    expect(lowestPoint(d)).toBe(3);
    // Chord from 2 to 2.2: at λ = 0.25 it is 2.05, the curve 2.6.
    expect(barrierPoint(d)?.index).toBe(1);
    expect(barrierPoint(d)?.excess).toBeCloseTo(0.55, 12);
  });
});
