/**
 * Weight-space comparison of two or more checkpoints (and their task vectors from a base), streamed
 * tensor by tensor: max |A−B| and relative L2 distance ‖A−B‖/‖A‖ of the first two; the mean
 * pairwise cosine of the task vectors x_i − C and the share of contested coordinates (at least two
 * non-zero task vectors) where their signs differ (for two models: cosine between A−C and B−C, and
 * among coordinates where both are non-zero the share with opposite signs); the weights' and task
 * vectors' norms and their ratio; the norm sag of their uniform linear average (‖mean x_i‖ /
 * mean ‖x_i‖, what SLERP avoids); each task vector's non-zero coordinates and, given a density, the
 * share of them TIES trimming would keep; NaN/Inf counts. Per layer: means over the layer's tensors
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
import { keptOf } from './keep-rules.js';

export interface DiffRow {
  name: string;
  layer: number | null;
  /** max |A−B| and ‖A−B‖/‖A‖ of the first two models. */
  maxAbs: number;
  relL2: number;
  /** Mean pairwise cosine of the task vectors x_i − C (null without a base, or when no pair has two non-zero vectors). */
  cosine: number | null;
  /** Among coordinates where at least two task vectors are non-zero, the share with mixed signs (null without a base, or when no coordinate is contested). */
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
  /** How many models are compared (A, B, then any more). */
  models: number;
  /** Per model: ‖x_i‖, NaN and ±Inf entries. */
  norms: number[];
  nan: number[];
  inf: number[];
  /** Per model: ‖x_i − C‖ (null without a base). */
  taskNorms: number[] | null;
  /** Largest over smallest task-vector norm (null without a base, or when one is 0). */
  normRatio: number | null;
  /** ‖(Σ x_i)/k‖: the uniform linear average's norm. */
  averageNorm: number;
  /** averageNorm / mean ‖x_i‖ (1: no sag; null when every input is zero). */
  normSag: number | null;
  /** Per model: non-zero coordinates of x_i − C (null without a base). */
  taskNonzero: number[] | null;
  /** Given a density d: per model, the non-zero coordinates TIES' trim to the top ⌊d·n⌋ magnitudes keeps, and their share. */
  taskKept: number[] | null;
  keptFraction: (number | null)[] | null;
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
  /** Models after A and B. */
  more?: TensorStream[];
  c?: TensorStream;
}

export interface DiffOptions {
  /** Report what TIES trimming at this density keeps of each task vector. */
  density?: number;
}

const CHUNK = 1 << 18;

/** Metrics of one tensor from streams (any source: files in the CLI, memory in tests and probes). */
export function diffTensor(t: TensorTriple, be: Backend = new TsBackend(), opts: DiffOptions = {}): Omit<DiffRow, 'layer'> {
  const n = t.a.numel;
  const streams = [t.a, t.b, ...(t.more ?? [])];
  const k = streams.length;
  const x = streams.map((_, i) => be.f32(i, CHUNK));
  const c = be.f32(k, CHUNK);
  const d = be.f32(k + 1, CHUNK);
  const sum = be.f32(k + 2, CHUNK);
  let maxAbs = 0;
  let diff2 = 0;
  let sum2 = 0;
  const sq = new Array<number>(k).fill(0);
  const gram = new Array<number>(k * k).fill(0);
  const nonzero = new Array<number>(k).fill(0);
  let contested = 0;
  let conflicting = 0;
  const bad = streams.map(() => ({ nan: 0, inf: 0 }));
  const badC = { nan: 0, inf: 0 };
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    streams.forEach((s, i) => {
      s.read(start, len, x[i]);
      countNonFinite(x[i], len, bad[i]);
      sq[i] = be.dotBlocks(x[i], x[i], len, sq[i]);
    });
    be.sub(x[0], x[1], d, len);
    for (let i = 0; i < len; i++) {
      const v = Math.abs(d[i]);
      if (v > maxAbs || Number.isNaN(v)) maxAbs = v;
    }
    diff2 = be.dotBlocks(d, d, len, diff2);
    sum.set(x[0].subarray(0, len));
    for (let i = 1; i < k; i++) be.add(sum, x[i], len);
    be.scale(sum, 1 / k, len);
    sum2 = be.dotBlocks(sum, sum, len, sum2);
    if (t.c) {
      t.c.read(start, len, c);
      countNonFinite(c, len, badC);
      for (let i = 0; i < k; i++) be.sub(x[i], c, x[i], len);
      for (let i = 0; i < k; i++) for (let j = i; j < k; j++) gram[i * k + j] = be.dotBlocks(x[i], x[j], len, gram[i * k + j]);
      for (let e = 0; e < len; e++) {
        let pos = 0;
        let neg = 0;
        for (let i = 0; i < k; i++) {
          const v = x[i][e];
          if (v > 0) pos++;
          else if (v < 0) neg++;
          if (v !== 0) nonzero[i]++;
        }
        if (pos + neg >= 2) {
          contested++;
          if (pos > 0 && neg > 0) conflicting++;
        }
      }
    }
  }
  const norms = sq.map(Math.sqrt);
  const relL2 = sq[0] > 0 ? Math.sqrt(diff2) / norms[0] : diff2 > 0 ? Number.POSITIVE_INFINITY : 0;
  const taskNorms = t.c ? gram.filter((_, i) => i % (k + 1) === 0).map(Math.sqrt) : null;
  let cosSum = 0;
  let pairs = 0;
  if (taskNorms) {
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        if (taskNorms[i] > 0 && taskNorms[j] > 0) {
          cosSum += gram[i * k + j] / (taskNorms[i] * taskNorms[j]);
          pairs++;
        }
      }
    }
  }
  const minTask = taskNorms ? Math.min(...taskNorms) : 0;
  const averageNorm = Math.sqrt(sum2);
  const meanNorm = norms.reduce((a, v) => a + v, 0) / k;
  const taskNonzero = t.c ? nonzero : null;
  const kept = keptShares(taskNonzero, n, opts.density);
  return {
    name: t.name,
    maxAbs,
    relL2,
    cosine: pairs > 0 ? cosSum / pairs : null,
    // No contested coordinate: the share is undefined (null), not 0, so it does not dilute a layer's mean.
    signConflict: t.c && contested > 0 ? conflicting / contested : null,
    numel: n,
    normA: norms[0],
    normB: norms[1],
    taskNormA: taskNorms ? taskNorms[0] : null,
    taskNormB: taskNorms ? taskNorms[1] : null,
    taskNormRatio: taskNorms && taskNorms[0] > 0 ? taskNorms[1] / taskNorms[0] : null,
    nanA: bad[0].nan,
    infA: bad[0].inf,
    nanB: bad[1].nan,
    infB: bad[1].inf,
    nanBase: badC.nan,
    infBase: badC.inf,
    models: k,
    norms,
    nan: bad.map((b) => b.nan),
    inf: bad.map((b) => b.inf),
    taskNorms,
    normRatio: taskNorms && minTask > 0 ? Math.max(...taskNorms) / minTask : null,
    averageNorm,
    normSag: meanNorm > 0 ? averageNorm / meanNorm : null,
    taskNonzero,
    ...kept,
  };
}

/** What TIES' trim to the top ⌊d·n⌋ magnitudes keeps of each task vector's non-zero coordinates (zeros rank last). */
function keptShares(nonzero: number[] | null, n: number, density: number | undefined): Pick<DiffRow, 'taskKept' | 'keptFraction'> {
  if (!nonzero || density === undefined) return { taskKept: null, keptFraction: null };
  const rule = density < 1 ? { kind: 'band' as const, lo: 0, hi: Math.floor(density * n) } : { kind: 'all' as const };
  const taskKept = nonzero.map((nz) => keptOf(rule, nz, 0));
  return { taskKept, keptFraction: taskKept.map((kept, i) => (nonzero[i] > 0 ? kept / nonzero[i] : null)) };
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
  const l2 = (g: DiffRow[], key: 'normA' | 'normB' | 'taskNormA' | 'taskNormB' | 'averageNorm'): number | null => {
    if (g.some((r) => r[key] === null)) return null;
    return Math.sqrt(g.reduce((s, r) => s + (r[key] as number) ** 2, 0));
  };
  const sum = (g: DiffRow[], key: 'nanA' | 'infA' | 'nanB' | 'infB' | 'nanBase' | 'infBase'): number => g.reduce((s, r) => s + r[key], 0);
  /** Per model: the L2 norm of the layer's tensors together, or counts summed (null when a tensor has none). */
  const perModel = (g: DiffRow[], key: 'norms' | 'taskNorms' | 'nan' | 'inf' | 'taskNonzero' | 'taskKept', combine: 'l2' | 'sum'): number[] | null => {
    if (g.some((r) => r[key] === null)) return null;
    const k = g[0].models;
    return Array.from({ length: k }, (_, i) => {
      const total = g.reduce((s, r) => s + (combine === 'l2' ? (r[key] as number[])[i] ** 2 : (r[key] as number[])[i]), 0);
      return combine === 'l2' ? Math.sqrt(total) : total;
    });
  };
  return [...groups.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([layer, g]) => {
      const taskNormA = l2(g, 'taskNormA');
      const taskNormB = l2(g, 'taskNormB');
      const norms = perModel(g, 'norms', 'l2')!;
      const taskNorms = perModel(g, 'taskNorms', 'l2');
      const minTask = taskNorms ? Math.min(...taskNorms) : 0;
      const averageNorm = l2(g, 'averageNorm')!;
      const meanNorm = norms.reduce((a, v) => a + v, 0) / norms.length;
      const taskNonzero = perModel(g, 'taskNonzero', 'sum');
      const taskKept = perModel(g, 'taskKept', 'sum');
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
        models: g[0].models,
        norms,
        nan: perModel(g, 'nan', 'sum')!,
        inf: perModel(g, 'inf', 'sum')!,
        taskNorms,
        normRatio: taskNorms && minTask > 0 ? Math.max(...taskNorms) / minTask : null,
        averageNorm,
        normSag: meanNorm > 0 ? averageNorm / meanNorm : null,
        taskNonzero,
        taskKept,
        keptFraction: taskKept && taskNonzero ? taskKept.map((kept, i) => (taskNonzero[i] > 0 ? kept / taskNonzero[i] : null)) : null,
      };
    });
}

function sameShape(x: TensorInfo, y: TensorInfo): boolean {
  return x.shape.length === y.shape.length && x.shape.every((v, i) => v === y.shape[i]);
}

/** Compares two or more checkpoints tensor by tensor (the first's tensors, in its order), with task vectors from a base when given. */
export function diffCheckpoints(models: CheckpointInfo[], C?: CheckpointInfo, opts: DiffOptions = {}): DiffResult {
  if (models.length < 2) throw new Error(`diff needs at least two models, got ${models.length}`);
  const [A, ...others] = models;
  const be = new TsBackend();
  const fds = new FdCache();
  const warnings: string[] = [];
  const rows: DiffRow[] = [];
  /** Integer and bool tensors (buffers such as position ids): the metrics are of floats. */
  const notFloat: string[] = [];
  const stream = (t: TensorInfo) =>
    new FileTensorStream({ file: t.file, offset: t.offset, dtype: t.dtype, numel: t.numel, tensor: t.name }, fds, be);
  try {
    for (const [name, ta] of A.tensors) {
      const missing = others.find((M) => !M.tensors.has(name));
      if (missing) {
        warnings.push(`tensor ${name} is in ${A.path} but not in ${missing.path}`);
        continue;
      }
      const tos = others.map((M) => M.tensors.get(name)!);
      const tc = C?.tensors.get(name);
      if (!isFloatDtype(ta.dtype) || tos.some((t) => !isFloatDtype(t.dtype))) {
        notFloat.push(`${name} (${[ta, ...tos].map((t) => t.dtype).join(' vs ')})`);
        continue;
      }
      if (tos.some((t) => !sameShape(ta, t)) || (tc && !sameShape(ta, tc))) {
        const shapes = [ta, ...tos, ...(tc ? [tc] : [])].map((t) => t.shape.join('×')).join(' vs ');
        warnings.push(`tensor ${name} has different shapes (${shapes}); skipped`);
        continue;
      }
      if (C && !tc) warnings.push(`tensor ${name} is not in the base ${C.path}; no task-vector metrics`);
      const [tb, ...more] = tos.map(stream);
      const metrics = diffTensor({ name, a: stream(ta), b: tb, more, c: tc && isFloatDtype(tc.dtype) ? stream(tc) : undefined }, be, opts);
      rows.push({ ...metrics, layer: layerIndexOf(name) });
    }
    for (const M of others) {
      for (const name of M.tensors.keys()) if (!A.tensors.has(name)) warnings.push(`tensor ${name} is in ${M.path} but not in ${A.path}`);
    }
    if (notFloat.length > 0) {
      const shown = notFloat.slice(0, 5).join(', ') + (notFloat.length > 5 ? ` and ${notFloat.length - 5} more` : '');
      warnings.push(`${notFloat.length} tensor${notFloat.length === 1 ? ' is' : 's are'} not float and not compared: ${shown}`);
    }
  } finally {
    fds.closeAll();
  }
  return { tensors: rows, layers: aggregateLayers(rows), warnings };
}
