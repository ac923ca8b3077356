/** The sweep: a grid over one or two sliders of a merge node, every cell scored by probe loss, filling as cells arrive. */
import { create } from 'zustand';
import type { ProbeSettings, SweepAxis, SweepTaskResult, TaskEvent } from '../../../common/contract/tasks.js';

type CellEvent = Extract<TaskEvent, { type: 'cell' }>;
type StageEvent = Extract<TaskEvent, { type: 'stage' }>;

export interface SweepAxisDef {
  param: string;
  sourceId: string | null;
  label: string;
  axis: SweepAxis;
  values: number[];
}

export interface SweepRun {
  id: string;
  taskId: string | null;
  nodeId: string;
  title: string;
  axes: SweepAxisDef[];
  probe: ProbeSettings;
  textNames: string[];
  status: 'starting' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  cells: (CellEvent | undefined)[];
  result: SweepTaskResult | null;
  progress: StageEvent | null;
  error: string | null;
}

export interface SweepState {
  run: SweepRun | null;
  start(run: SweepRun): void;
  patch(id: string, patch: Partial<SweepRun>): void;
  applyEvent(id: string, e: TaskEvent): void;
}

export const useSweep = create<SweepState>()((set, get) => ({
  run: null,
  start(run) {
    set({ run });
  },
  patch(id, patch) {
    const r = get().run;
    if (r?.id === id) set({ run: { ...r, ...patch } });
  },
  applyEvent(id, e) {
    const r = get().run;
    if (r?.id !== id) return;
    if (e.type === 'cell') {
      const cells = [...r.cells];
      cells[e.index] = e;
      set({ run: { ...r, cells, status: 'running' } });
    } else if (e.type === 'stage') set({ run: { ...r, progress: e, status: 'running' } });
  },
}));

/** n evenly spaced values from lo to hi, at 6 significant digits (the values set on the node are exactly these). */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (n <= 1) return [lo];
  return Array.from({ length: n }, (_, i) => Number((lo + ((hi - lo) * i) / (n - 1)).toPrecision(6)));
}

export interface GridCellView {
  index: number;
  values: number[];
  losses: (number | null)[];
  mean: number | null;
  error?: string;
}

/** The grid's cells as known so far (row-major: the last axis varies fastest), and the best one. */
export function sweepCells(r: SweepRun): { cells: (GridCellView | null)[]; best: number | null } {
  const total = r.axes.reduce((n, a) => n * a.values.length, 1);
  const cells: (GridCellView | null)[] = Array.from({ length: total }, (_, i) => {
    const c = r.result?.cells[i] ?? r.cells[i];
    return c ? { index: i, values: c.values, losses: c.losses, mean: c.mean, error: c.error } : null;
  });
  let best: number | null = r.result ? r.result.best : null;
  if (best === null) {
    cells.forEach((c, i) => {
      if (c && c.mean !== null && !c.error && (best === null || c.mean < (cells[best]?.mean as number))) best = i;
    });
  }
  return { cells, best };
}
