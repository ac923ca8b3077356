/**
 * Weight-space diagnostics of one merged tensor, computed beside the merge (issue 5's live
 * heatmap): task-vector norms and their ratio, mean pairwise cosine of the task vectors, the share
 * of coordinates where non-zero task vectors disagree in sign (where TIES must elect), each input's
 * norm against the merged tensor's (the norm sag of linear interpolation), and NaN/Inf counts.
 * Partial sums are additive, so ranges of a split tensor combine.
 */
import type { Backend } from '../backend/types.js';
import type { TensorStream } from '../methods/kernel.js';

/** Additive sums over a range of one tensor. */
export interface StatSums {
  n: number;
  /** Gram matrix of the task vectors (k×k, row-major), or of the inputs when there is no base. */
  gram: number[];
  /** Squared norms of the inputs themselves. */
  inputSq: number[];
  outSq: number;
  /** Coordinates where at least two task vectors are non-zero, and those where their signs differ. */
  contested: number;
  conflicting: number;
  nan: number;
  inf: number;
}

export interface MergeStats {
  /** ‖δ_i‖ per model (‖x_i‖ without a base). */
  taskNorms: number[];
  /** max/min of taskNorms (1 for one model; null when some norm is 0). */
  normRatio: number | null;
  /** Mean pairwise cosine of the task vectors (null with one model). */
  cosine: number | null;
  signConflict: number | null;
  /** ‖merged‖ / mean ‖x_i‖ (1 means no sag). */
  normSag: number | null;
  mergedNorm: number;
  nan: number;
  inf: number;
}

export function emptySums(k: number): StatSums {
  return { n: 0, gram: new Array(k * k).fill(0), inputSq: new Array(k).fill(0), outSq: 0, contested: 0, conflicting: 0, nan: 0, inf: 0 };
}

export function addSums(a: StatSums, b: StatSums): StatSums {
  return {
    n: a.n + b.n,
    gram: a.gram.map((v, i) => v + b.gram[i]),
    inputSq: a.inputSq.map((v, i) => v + b.inputSq[i]),
    outSq: a.outSq + b.outSq,
    contested: a.contested + b.contested,
    conflicting: a.conflicting + b.conflicting,
    nan: a.nan + b.nan,
    inf: a.inf + b.inf,
  };
}

/** One streamed pass over the inputs and the written output (first slots from 8 upward are used). */
export function measureRange(
  be: Backend,
  chunk: number,
  models: TensorStream[],
  base: TensorStream | undefined,
  out: TensorStream,
  count: number,
): StatSums {
  const k = models.length;
  const sums = emptySums(k);
  const bufs = models.map((_, i) => be.f32(8 + i, chunk));
  const b = base ? be.f32(8 + k, chunk) : undefined;
  const o = be.f32(9 + k, chunk);
  for (let start = 0; start < count; start += chunk) {
    const len = Math.min(chunk, count - start);
    if (base && b) base.read(start, len, b);
    models.forEach((m, i) => {
      m.read(start, len, bufs[i]);
      sums.inputSq[i] = be.dotBlocks(bufs[i], bufs[i], len, sums.inputSq[i]);
      if (b) be.sub(bufs[i], b, bufs[i], len);
    });
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) sums.gram[i * k + j] = be.dotBlocks(bufs[i], bufs[j], len, sums.gram[i * k + j]);
    if (k >= 2) {
      for (let e = 0; e < len; e++) {
        let pos = 0;
        let neg = 0;
        for (let i = 0; i < k; i++) {
          const v = bufs[i][e];
          if (v > 0) pos++;
          else if (v < 0) neg++;
        }
        if (pos + neg >= 2) {
          sums.contested++;
          if (pos > 0 && neg > 0) sums.conflicting++;
        }
      }
    }
    out.read(start, len, o);
    for (let e = 0; e < len; e++) {
      const v = o[e];
      if (v !== v) sums.nan++;
      else if (v === Infinity || v === -Infinity) sums.inf++;
    }
    sums.outSq = be.dotBlocks(o, o, len, sums.outSq);
    sums.n += len;
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) sums.gram[i * k + j] = sums.gram[j * k + i];
  return sums;
}

export function finishStats(s: StatSums): MergeStats {
  const k = s.inputSq.length;
  const taskNorms = Array.from({ length: k }, (_, i) => Math.sqrt(Math.max(0, s.gram[i * k + i])));
  const minNorm = Math.min(...taskNorms);
  const normRatio = k === 0 ? null : minNorm > 0 ? Math.max(...taskNorms) / minNorm : null;
  let cosSum = 0;
  let pairs = 0;
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      if (taskNorms[i] > 0 && taskNorms[j] > 0) {
        cosSum += s.gram[i * k + j] / (taskNorms[i] * taskNorms[j]);
        pairs++;
      }
    }
  }
  const meanInput = k > 0 ? s.inputSq.reduce((a, v) => a + Math.sqrt(v), 0) / k : 0;
  const mergedNorm = Math.sqrt(s.outSq);
  return {
    taskNorms,
    normRatio,
    cosine: pairs > 0 ? cosSum / pairs : null,
    signConflict: k >= 2 ? (s.contested > 0 ? s.conflicting / s.contested : 0) : null,
    normSag: meanInput > 0 ? mergedNorm / meanInput : null,
    mergedNorm,
    nan: s.nan,
    inf: s.inf,
  };
}
