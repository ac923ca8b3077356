/**
 * Barrier previews: each run's target (a node's slider, or the line between two models), its
 * settings, the points as they arrive, and the result. One or two runs are shown (two side by
 * side: before and after alignment). The latest finished slider preview of a merge node is what
 * the post-merge check compares the written model with.
 */
import { create } from 'zustand';
import type { ProbeSettings, SweepAxis, TaskEvent, BarrierTaskResult } from '../../../common/contract/tasks.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';

export type RunStatus = 'starting' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
type PointEvent = Extract<TaskEvent, { type: 'point' }>;
type StageEvent = Extract<TaskEvent, { type: 'stage' }>;

export type BarrierTarget =
  | { kind: 'slider'; param: string; sourceId: string | null; label: string; axis: SweepAxis; range: [number, number]; defaultValue?: number }
  | { kind: 'interpolate'; a: string; b: string; label: string };

export interface BarrierRun {
  id: string;
  taskId: string | null;
  /** The node it belongs to (a merge or an Align node). */
  nodeId: string;
  title: string;
  target: BarrierTarget;
  /** The recipe probed (slider targets): the post-merge check finds the written setting in it. */
  recipe: MergeRecipe | null;
  recipeDir: string;
  probe: ProbeSettings;
  textNames: string[];
  points: number;
  status: RunStatus;
  partial: (PointEvent | undefined)[];
  result: BarrierTaskResult | null;
  progress: StageEvent | null;
  error: string | null;
  startedAt: number;
}

export interface BarrierState {
  runs: Record<string, BarrierRun>;
  /** Runs shown in the panel (two: side by side). */
  shown: string[];
  add(run: BarrierRun, show: 'replace' | 'append'): void;
  patch(id: string, patch: Partial<BarrierRun>): void;
  applyEvent(id: string, e: TaskEvent): void;
  show(ids: string[]): void;
  /** Forget every preview (another project was opened: they describe its graph). */
  clear(): void;
}

const KEEP = 12;

export const useBarrier = create<BarrierState>()((set, get) => ({
  runs: {},
  shown: [],
  add(run, show) {
    const runs = { ...get().runs, [run.id]: run };
    const ids = Object.values(runs).sort((a, b) => a.startedAt - b.startedAt);
    const shown = show === 'replace' ? [run.id] : [...get().shown.slice(-1), run.id];
    for (const old of ids.slice(0, Math.max(0, ids.length - KEEP))) if (!shown.includes(old.id)) delete runs[old.id];
    set({ runs, shown });
  },
  patch(id, patch) {
    const r = get().runs[id];
    if (r) set({ runs: { ...get().runs, [id]: { ...r, ...patch } } });
  },
  applyEvent(id, e) {
    const r = get().runs[id];
    if (!r) return;
    if (e.type === 'point') {
      const partial = [...r.partial];
      partial[e.index] = e;
      set({ runs: { ...get().runs, [id]: { ...r, partial, status: 'running' } } });
    } else if (e.type === 'stage') {
      set({ runs: { ...get().runs, [id]: { ...r, progress: e, status: 'running' } } });
    }
  },
  show(ids) {
    set({ shown: ids });
  },
  clear() {
    set({ runs: {}, shown: [] });
  },
}));

/** The latest finished slider preview of a node. */
export function latestSliderPreview(nodeId: string): BarrierRun | null {
  let best: BarrierRun | null = null;
  for (const r of Object.values(useBarrier.getState().runs)) {
    if (r.nodeId !== nodeId || r.target.kind !== 'slider' || r.status !== 'done' || !r.result) continue;
    if (!best || r.startedAt > best.startedAt) best = r;
  }
  return best;
}

export interface CurveData {
  /** x positions (λ) of the K points. */
  lambdas: number[];
  /** Slider value at each point (null: unknown yet, or the A–B line). */
  values: (number | null)[];
  /** Mean loss per point (null: not computed yet or not finite). */
  mean: (number | null)[];
  /** Per text, loss per point. */
  texts: { name: string; losses: (number | null)[]; barrier: number | null }[];
  barrier: number | null;
}

/** What is known of a run's curves so far (points arrive one by one; the result replaces them). */
export function curveData(r: BarrierRun): CurveData {
  const K = r.points;
  const lambdas = Array.from({ length: K }, (_, j) => j / (K - 1));
  if (r.result) {
    return {
      lambdas: r.result.points.map((p) => p.lambda),
      values: r.result.points.map((p) => p.value),
      mean: r.result.points.map((p) => p.loss),
      texts: r.result.texts.map((t) => ({ name: t.name, losses: t.points.map((p) => p.loss), barrier: t.barrier })),
      barrier: r.result.barrier,
    };
  }
  return {
    lambdas,
    values: lambdas.map((_, j) => r.partial[j]?.value ?? null),
    mean: lambdas.map((_, j) => r.partial[j]?.mean ?? null),
    texts: r.textNames.map((name, t) => ({ name, losses: lambdas.map((_, j) => r.partial[j]?.losses[t] ?? null), barrier: null })),
    barrier: null,
  };
}

/** Index of the lowest mean loss among the points known. */
export function lowestPoint(d: CurveData): number | null {
  let best: number | null = null;
  d.mean.forEach((v, j) => {
    if (v !== null && (best === null || v < (d.mean[best] as number))) best = j;
  });
  return best;
}

/** The point where the curve rises highest above the straight line between its endpoints. */
export function barrierPoint(d: CurveData): { index: number; excess: number } | null {
  const K = d.mean.length;
  const l0 = d.mean[0];
  const l1 = d.mean[K - 1];
  if (l0 === null || l1 === null) return null;
  let best: { index: number; excess: number } | null = null;
  d.mean.forEach((v, j) => {
    if (v === null) return;
    const lam = d.lambdas[j];
    const excess = v - ((1 - lam) * l0 + lam * l1);
    if (!best || excess > best.excess) best = { index: j, excess };
  });
  return best;
}
