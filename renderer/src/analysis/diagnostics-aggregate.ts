/**
 * The live heatmap's numbers: per-tensor diagnostics events (merge-stats.ts on the engine side)
 * folded into one row per layer (plus one for tensors outside the layer stack) and one column per
 * metric. A cell holds the mean over the row's tensors of the metric (NaN/Inf: the total count;
 * Kept: the row's kept coordinates over its non-zero ones, pooled), with the extreme tensors, so
 * hovering can say which tensor drives it.
 */
import type { TensorGroup } from '../../../common/contract/checkpoint.js';
import type { RunEvent } from '../../../common/contract/run.js';

export type DiagnosticsRecord = Omit<Extract<RunEvent, { type: 'diagnostics' }>, 'type'>;

export type MetricKey = 'cosine' | 'signConflict' | 'kept' | 'normRatio' | 'normSag' | 'nonFinite';

export interface MetricInfo {
  key: MetricKey;
  label: string;
  /** What the number means, shown on hover. */
  hint: string;
}

export const METRICS: readonly MetricInfo[] = [
  { key: 'cosine', label: 'Cosine', hint: 'mean pairwise cosine of the task vectors (1: same direction, 0: orthogonal, < 0: opposed)' },
  { key: 'signConflict', label: 'Sign conflict', hint: 'share of contested coordinates where the task vectors disagree in sign' },
  {
    key: 'kept',
    label: 'Kept',
    hint: "share of the task vectors' non-zero coordinates that survive trimming (TIES, breadcrumbs), random dropping (DARE, DELLA) or sce's mask (1: all kept)",
  },
  { key: 'normRatio', label: 'Norm ratio', hint: 'largest over smallest task-vector norm (1: equal)' },
  { key: 'normSag', label: 'Norm sag', hint: '‖merged‖ / mean ‖input‖ (1: no sag, < 1: the merge shrank the weights)' },
  { key: 'nonFinite', label: 'NaN/Inf', hint: 'NaN and infinite values in the merged tensor' },
];

export interface Extreme {
  value: number;
  tensor: string;
}

export interface MetricCell {
  /** Mean over the tensors that define the metric (nonFinite: the sum). null when none does. */
  value: number | null;
  /** Tensors that define it. */
  count: number;
  min: Extreme | null;
  max: Extreme | null;
}

export interface HeatmapRow {
  /** Layer index, or null for the tensors outside the layer stack. */
  layer: number | null;
  tensors: number;
  cells: Record<MetricKey, MetricCell>;
  nan: number;
  inf: number;
  /** Per input model (recipe order): coordinates kept by trimming or dropping and non-zero ones, summed over the row's tensors that trim or drop. */
  kept: number[];
  nonzero: number[];
}

/** Kept over non-zero task-vector coordinates, pooled over models (null when nothing is trimmed or dropped, or all are zero). */
export function pooledKept(kept: readonly number[], nonzero: readonly number[]): number | null {
  const nz = nonzero.reduce((a, v) => a + v, 0);
  return nz > 0 ? kept.reduce((a, v) => a + v, 0) / nz : null;
}

function metricValue(r: DiagnosticsRecord, key: MetricKey): number | null {
  if (key === 'nonFinite') return r.stats.nan + r.stats.inf;
  if (key === 'kept') return r.stats.taskKept ? pooledKept(r.stats.taskKept, r.stats.taskNonzero) : null;
  return r.stats[key];
}

function emptyCell(): MetricCell {
  return { value: null, count: 0, min: null, max: null };
}

export function rowKey(layer: number | null): string {
  return layer === null ? 'x' : String(layer);
}

/**
 * Rows for layers 0..layerCount−1 (present even before any event, so the map fills in place),
 * plus the outside-the-stack row first; only records of `group` when given.
 */
export function aggregateDiagnostics(records: readonly DiagnosticsRecord[], layerCount: number, group?: TensorGroup): HeatmapRow[] {
  const rows = new Map<string, HeatmapRow & { sums: Record<MetricKey, number> }>();
  const rowFor = (layer: number | null) => {
    const k = rowKey(layer);
    let r = rows.get(k);
    if (!r) {
      r = {
        layer,
        tensors: 0,
        nan: 0,
        inf: 0,
        kept: [],
        nonzero: [],
        cells: { cosine: emptyCell(), signConflict: emptyCell(), kept: emptyCell(), normRatio: emptyCell(), normSag: emptyCell(), nonFinite: emptyCell() },
        sums: { cosine: 0, signConflict: 0, kept: 0, normRatio: 0, normSag: 0, nonFinite: 0 },
      };
      rows.set(k, r);
    }
    return r;
  };
  rowFor(null);
  for (let l = 0; l < layerCount; l++) rowFor(l);
  for (const rec of records) {
    if (group && rec.group !== group) continue;
    const row = rowFor(rec.layer);
    row.tensors += 1;
    row.nan += rec.stats.nan;
    row.inf += rec.stats.inf;
    const taskKept = rec.stats.taskKept;
    if (taskKept) {
      taskKept.forEach((k, i) => {
        row.kept[i] = (row.kept[i] ?? 0) + k;
        row.nonzero[i] = (row.nonzero[i] ?? 0) + (rec.stats.taskNonzero[i] ?? 0);
      });
    }
    for (const m of METRICS) {
      const v = metricValue(rec, m.key);
      if (v === null || !Number.isFinite(v)) continue;
      const c = row.cells[m.key];
      row.sums[m.key] += v;
      c.count += 1;
      if (!c.min || v < c.min.value) c.min = { value: v, tensor: rec.name };
      if (!c.max || v > c.max.value) c.max = { value: v, tensor: rec.name };
    }
  }
  const out: HeatmapRow[] = [];
  for (const r of rows.values()) {
    for (const m of METRICS) {
      const c = r.cells[m.key];
      if (c.count > 0) c.value = m.key === 'nonFinite' ? r.sums[m.key] : m.key === 'kept' ? pooledKept(r.kept, r.nonzero) : r.sums[m.key] / c.count;
    }
    const { sums: _sums, ...row } = r;
    void _sums;
    out.push(row);
  }
  // Outside the stack first, then layers in order.
  return out.sort((a, b) => (a.layer === null ? -1 : b.layer === null ? 1 : a.layer - b.layer));
}

/** Fill colour of a cell: each metric on its own scale, white where nothing is wrong. */
export function metricColor(key: MetricKey, v: number | null): string {
  if (v === null) return 'transparent';
  const mix = (t: number, rgb: [number, number, number]) => {
    const c = Math.max(0, Math.min(1, t));
    const ch = (x: number) => Math.round(255 + (x - 255) * c);
    return `rgb(${ch(rgb[0])}, ${ch(rgb[1])}, ${ch(rgb[2])})`;
  };
  switch (key) {
    case 'cosine':
      return v >= 0 ? mix(v, [25, 113, 194]) : mix(-v, [201, 42, 42]);
    case 'signConflict':
      return mix(v / 0.5, [232, 89, 12]);
    case 'kept':
      return mix(1 - v, [230, 119, 0]);
    case 'normRatio':
      return mix(Math.log2(Math.max(1, v)) / 2, [112, 72, 232]);
    case 'normSag':
      return v <= 1 ? mix((1 - v) / 0.5, [12, 166, 120]) : mix((v - 1) / 0.5, [201, 42, 42]);
    case 'nonFinite':
      return v > 0 ? 'rgb(201, 42, 42)' : 'rgb(255, 255, 255)';
  }
}

export function formatMetric(key: MetricKey, v: number | null): string {
  if (v === null) return '—';
  if (key === 'nonFinite') return String(v);
  if (key === 'signConflict' || key === 'kept') return `${(100 * v).toFixed(1)}%`;
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3);
}

function rowLabel(r: HeatmapRow): string {
  return r.layer === null ? 'Outside the layer stack' : `Layer ${r.layer}`;
}

/** modelNames: the merge's inputs in recipe order, when known ("model 1", "model 2", … otherwise). */
export function hoverText(r: HeatmapRow, m: MetricInfo, modelNames?: readonly string[]): string {
  const c = r.cells[m.key];
  if (c.count === 0) return `${rowLabel(r)} · ${m.label}: ${r.tensors ? 'not defined for these tensors' : 'no tensor measured yet'}`;
  const what =
    m.key === 'nonFinite'
      ? `${r.nan} NaN, ${r.inf} Inf`
      : m.key === 'kept'
        ? `${formatMetric('kept', c.value)} of the non-zero task-vector coordinates survive trimming or dropping (${perModelKept(r, modelNames)})`
        : `mean ${formatMetric(m.key, c.value)}`;
  let s = `${rowLabel(r)} · ${m.label}: ${what} over ${c.count} tensor${c.count === 1 ? '' : 's'}`;
  if (m.key !== 'nonFinite' && c.min && c.max && c.count > 1) {
    s += ` (min ${formatMetric(m.key, c.min.value)} ${c.min.tensor}; max ${formatMetric(m.key, c.max.value)} ${c.max.tensor})`;
  }
  return s;
}

/** "model 1 30.0%, model 2 37.5%": each input's kept share over the row, in recipe order. */
function perModelKept(r: HeatmapRow, names?: readonly string[]): string {
  const named = names && names.length === r.kept.length;
  return r.kept.map((k, i) => `${named ? names[i] : `model ${i + 1}`} ${formatMetric('kept', r.nonzero[i] > 0 ? k / r.nonzero[i] : null)}`).join(', ');
}
