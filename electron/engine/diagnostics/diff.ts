/**
 * Weight-space comparison of two checkpoints (and their task vectors from a base), streamed tensor
 * by tensor: max |A−B|, relative L2 distance ‖A−B‖/‖A‖, cosine between A−C and B−C, and the share
 * of coordinates where both task vectors are non-zero with opposite signs, the weights' and task
 * vectors' norms and their ratio, and NaN/Inf counts. Per layer: means over the layer's tensors
 * weighted by element count (norms: the L2 norm of the layer's tensors together; counts: sums).
 */
import { TsBackend } from '../backend/ts-backend.js';
import type { Backend } from '../backend/types.js';
import { FdCache } from '../executor/fd-cache.js';
import { FileTensorStream } from '../executor/file-streams.js';
import { isFloatDtype } from '../io/dtype.js';
import { layerIndexOf } from '../io/layers.js';
import type { CheckpointInfo, TensorInfo } from '../io/types.js';
import type { TensorStream } from '../methods/kernel.js';

export interface DiffRow {
  name: string;
  layer: number | null;
  maxAbs: number;
  relL2: number;
  /** Cosine between the task vectors A−C and B−C (null without a base, or when one is zero). */
  cosine: number | null;
  /** Among coordinates where both task vectors are non-zero, the share with opposite signs (null without a base). */
  signConflict: number | null;
  numel: number;
  /** ‖A‖ and ‖B‖ (L2 norms of the weights). */
  normA: number;
  normB: number;
  /** Task-vector norms ‖A−C‖ and ‖B−C‖ (null without a base). */
  taskNormA: number | null;
  taskNormB: number | null;
  /** ‖B−C‖ / ‖A−C‖ (null without a base, or when ‖A−C‖ is 0). */
  taskNormRatio: number | null;
  /** NaN and ±Inf entries of A, B and the base (0 for the base when there is none). */
  nanA: number;
  infA: number;
  nanB: number;
  infB: number;
  nanBase: number;
  infBase: number;
}

/** NaN and ±Inf entries of x[0..n). */
function countNonFinite(x: Float32Array, n: number, into: { nan: number; inf: number }): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) into.nan++;
    else if (v === Infinity || v === -Infinity) into.inf++;
  }
}

export interface DiffResult {
  tensors: DiffRow[];
  layers: DiffRow[];
  warnings: string[];
}

export interface TensorTriple {
  name: string;
  a: TensorStream;
  b: TensorStream;
  c?: TensorStream;
}

const CHUNK = 1 << 18;

/** Metrics of one tensor from streams (any source: files in the CLI, memory in tests and probes). */
export function diffTensor(t: TensorTriple, be: Backend = new TsBackend()): Omit<DiffRow, 'layer'> {
  const n = t.a.numel;
  const a = be.f32(0, CHUNK);
  const b = be.f32(1, CHUNK);
  const c = be.f32(2, CHUNK);
  const d = be.f32(3, CHUNK);
  let maxAbs = 0;
  let diff2 = 0;
  let a2 = 0;
  let dot = 0;
  let da2 = 0;
  let db2 = 0;
  let both = 0;
  let opposite = 0;
  let b2 = 0;
  const badA = { nan: 0, inf: 0 };
  const badB = { nan: 0, inf: 0 };
  const badC = { nan: 0, inf: 0 };
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    t.a.read(start, len, a);
    t.b.read(start, len, b);
    countNonFinite(a, len, badA);
    countNonFinite(b, len, badB);
    b2 = be.dotBlocks(b, b, len, b2);
    be.sub(a, b, d, len);
    for (let i = 0; i < len; i++) {
      const v = Math.abs(d[i]);
      if (v > maxAbs || Number.isNaN(v)) maxAbs = v;
    }
    diff2 = be.dotBlocks(d, d, len, diff2);
    a2 = be.dotBlocks(a, a, len, a2);
    if (t.c) {
      t.c.read(start, len, c);
      countNonFinite(c, len, badC);
      be.sub(a, c, a, len);
      be.sub(b, c, b, len);
      dot = be.dotBlocks(a, b, len, dot);
      da2 = be.dotBlocks(a, a, len, da2);
      db2 = be.dotBlocks(b, b, len, db2);
      for (let i = 0; i < len; i++) {
        const x = a[i];
        const y = b[i];
        if (x !== 0 && y !== 0) {
          both++;
          if (x > 0 !== y > 0) opposite++;
        }
      }
    }
  }
  const relL2 = a2 > 0 ? Math.sqrt(diff2) / Math.sqrt(a2) : diff2 > 0 ? Number.POSITIVE_INFINITY : 0;
  const cosine = t.c && da2 > 0 && db2 > 0 ? dot / Math.sqrt(da2 * db2) : null;
  const signConflict = t.c ? (both > 0 ? opposite / both : 0) : null;
  const taskNormA = t.c ? Math.sqrt(da2) : null;
  const taskNormB = t.c ? Math.sqrt(db2) : null;
  return {
    name: t.name,
    maxAbs,
    relL2,
    cosine,
    signConflict,
    numel: n,
    normA: Math.sqrt(a2),
    normB: Math.sqrt(b2),
    taskNormA,
    taskNormB,
    taskNormRatio: taskNormA !== null && taskNormB !== null && taskNormA > 0 ? taskNormB / taskNormA : null,
    nanA: badA.nan,
    infA: badA.inf,
    nanB: badB.nan,
    infB: badB.inf,
    nanBase: badC.nan,
    infBase: badC.inf,
  };
}

/** Element-weighted means per layer of the rows that have a layer. */
export function aggregateLayers(rows: DiffRow[]): DiffRow[] {
  const groups = new Map<number, DiffRow[]>();
  for (const r of rows) {
    if (r.layer === null) continue;
    const g = groups.get(r.layer) ?? [];
    g.push(r);
    groups.set(r.layer, g);
  }
  const mean = (g: DiffRow[], key: 'maxAbs' | 'relL2' | 'cosine' | 'signConflict'): number | null => {
    let s = 0;
    let w = 0;
    for (const r of g) {
      const v = r[key];
      if (v === null) continue;
      s += v * r.numel;
      w += r.numel;
    }
    return w > 0 ? s / w : null;
  };
  // Norms of a layer are the L2 norms of all its tensors together; counts add up.
  const l2 = (g: DiffRow[], key: 'normA' | 'normB' | 'taskNormA' | 'taskNormB'): number | null => {
    if (g.some((r) => r[key] === null)) return null;
    return Math.sqrt(g.reduce((s, r) => s + (r[key] as number) ** 2, 0));
  };
  const sum = (g: DiffRow[], key: 'nanA' | 'infA' | 'nanB' | 'infB' | 'nanBase' | 'infBase'): number => g.reduce((s, r) => s + r[key], 0);
  return [...groups.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([layer, g]) => {
      const taskNormA = l2(g, 'taskNormA');
      const taskNormB = l2(g, 'taskNormB');
      return {
        name: `layer ${layer}`,
        layer,
        maxAbs: mean(g, 'maxAbs') ?? 0,
        relL2: mean(g, 'relL2') ?? 0,
        cosine: mean(g, 'cosine'),
        signConflict: mean(g, 'signConflict'),
        numel: g.reduce((s, r) => s + r.numel, 0),
        normA: l2(g, 'normA') ?? 0,
        normB: l2(g, 'normB') ?? 0,
        taskNormA,
        taskNormB,
        taskNormRatio: taskNormA !== null && taskNormB !== null && taskNormA > 0 ? taskNormB / taskNormA : null,
        nanA: sum(g, 'nanA'),
        infA: sum(g, 'infA'),
        nanB: sum(g, 'nanB'),
        infB: sum(g, 'infB'),
        nanBase: sum(g, 'nanBase'),
        infBase: sum(g, 'infBase'),
      };
    });
}

function sameShape(x: TensorInfo, y: TensorInfo): boolean {
  return x.shape.length === y.shape.length && x.shape.every((v, i) => v === y.shape[i]);
}

export function diffCheckpoints(A: CheckpointInfo, B: CheckpointInfo, C?: CheckpointInfo): DiffResult {
  const be = new TsBackend();
  const fds = new FdCache();
  const warnings: string[] = [];
  const rows: DiffRow[] = [];
  const stream = (t: TensorInfo) =>
    new FileTensorStream({ file: t.file, offset: t.offset, dtype: t.dtype, numel: t.numel, tensor: t.name }, fds, be);
  try {
    for (const [name, ta] of A.tensors) {
      const tb = B.tensors.get(name);
      const tc = C?.tensors.get(name);
      if (!tb) {
        warnings.push(`tensor ${name} is in ${A.path} but not in ${B.path}`);
        continue;
      }
      if (!isFloatDtype(ta.dtype) || !isFloatDtype(tb.dtype)) continue;
      if (!sameShape(ta, tb) || (tc && !sameShape(ta, tc))) {
        warnings.push(`tensor ${name} has different shapes (${ta.shape.join('×')} vs ${tb.shape.join('×')}${tc ? ` vs ${tc.shape.join('×')}` : ''}); skipped`);
        continue;
      }
      if (C && !tc) warnings.push(`tensor ${name} is not in the base ${C.path}; no task-vector metrics`);
      const metrics = diffTensor({ name, a: stream(ta), b: stream(tb), c: tc && isFloatDtype(tc.dtype) ? stream(tc) : undefined }, be);
      rows.push({ ...metrics, layer: layerIndexOf(name) });
    }
    for (const name of B.tensors.keys()) if (!A.tensors.has(name)) warnings.push(`tensor ${name} is in ${B.path} but not in ${A.path}`);
  } finally {
    fds.closeAll();
  }
  return { tensors: rows, layers: aggregateLayers(rows), warnings };
}
