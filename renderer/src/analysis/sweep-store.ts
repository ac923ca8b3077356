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
  /** Forget the sweep (another project was opened). */
  clear(): void;
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
  clear() {
    set({ run: null });
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

/** A reason cells were refused, and which cells: "Density of Model math = 0.01" for a row refused for one reason. */
export interface SweepRefusal {
  where: string;
  reason: string;
}

/**
 * The refused cells' reasons, each once. The cells one reason covers are named by the axis values
 * they share when they form a block of the grid (an axis they span whole is left out: a refused row
 * names only its row's value), else one by one.
 */
export function sweepRefusals(r: SweepRun, cells: readonly (GridCellView | null)[], fmt: (v: number) => string): SweepRefusal[] {
  const byReason = new Map<string, GridCellView[]>();
  for (const c of cells) if (c?.error) byReason.set(c.error, [...(byReason.get(c.error) ?? []), c]);
  return [...byReason].map(([reason, group]) => {
    const shared = r.axes.map((_, i) => [...new Set(group.map((c) => c.values[i]))].sort((x, y) => x - y));
    const block = shared.reduce((n, vs) => n * vs.length, 1) === group.length;
    if (!block) return { reason, where: group.map((c) => r.axes.map((a, i) => `${a.label} = ${fmt(c.values[i])}`).join(', ')).join('; ') };
    const partial = r.axes.map((_, i) => i).filter((i) => shared[i].length < new Set(r.axes[i].values).size);
    const where = partial.length === 0 ? 'Every cell' : partial.map((i) => `${r.axes[i].label} = ${shared[i].map(fmt).join(', ')}`).join(', ');
    return { reason, where };
  });
}
