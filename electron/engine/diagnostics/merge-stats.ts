/**
 * Weight-space diagnostics of one merged tensor, computed beside the merge (issue 5's live
 * heatmap): task-vector norms and their ratio, mean pairwise cosine of the task vectors, the share
 * of coordinates where non-zero task vectors disagree in sign (where TIES must elect), each input's
 * norm against the merged tensor's (the norm sag of linear interpolation), NaN/Inf counts, and for
 * methods that trim or drop, the share of each model's non-zero task-vector coordinates that
 * survive (keep-rules.ts, kept-counter.ts). Partial sums are additive, so ranges of a split tensor
 * combine.
 */
import type { Backend } from '../backend/types.js';
import type { TensorStream } from '../methods/kernel.js';
import { keptOf, type KeepRule } from './keep-rules.js';
import type { KeptCounter } from './kept-counter.js';

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
  /** Non-zero task-vector coordinates per model (inputs without a base). */
  nonzero: number[];
  /** Per model, the non-zero coordinates counted as kept (random, DELLA and sce rules only). */
  kept: number[];
  /** How each model is trimmed or dropped (null: the method keeps everything). Same for every range. */
  keepRules: KeepRule[] | null;
}

/**
 * Every value is finite or null: a tensor holding NaN or ±Inf (an input's, or an overflow) makes
 * its norms and the ratios built on them undefined, and JSON has no NaN or Infinity (an event
 * carrying one failed validation in the page and took the events sent with it).
 */
export interface MergeStats {
  /** ‖δ_i‖ per model (‖x_i‖ without a base); null where not finite. */
  taskNorms: (number | null)[];
  /** max/min of taskNorms (1 for one model; null when some norm is 0). */
  normRatio: number | null;
  /** Mean pairwise cosine of the task vectors (null with one model). */
  cosine: number | null;
  signConflict: number | null;
  /** ‖merged‖ / mean ‖x_i‖ (1 means no sag). */
  normSag: number | null;
  /** ‖merged‖; null where not finite. */
  mergedNorm: number | null;
  nan: number;
  inf: number;
  /** Non-zero coordinates of each model's task vector. */
  taskNonzero: number[];
  /** Of those, how many survive trimming or dropping (null when the method neither trims nor drops). */
  taskKept: number[] | null;
  /** taskKept / taskNonzero per model (null for a model whose task vector is zero; null as a whole as taskKept). */
  keptFraction: (number | null)[] | null;
}

export function emptySums(k: number, keepRules: KeepRule[] | null = null): StatSums {
  return {
    n: 0,
    gram: new Array(k * k).fill(0),
    inputSq: new Array(k).fill(0),
    outSq: 0,
    contested: 0,
    conflicting: 0,
    nan: 0,
    inf: 0,
    nonzero: new Array(k).fill(0),
    kept: new Array(k).fill(0),
    keepRules,
  };
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
    nonzero: a.nonzero.map((v, i) => v + b.nonzero[i]),
    kept: a.kept.map((v, i) => v + b.kept[i]),
    keepRules: a.keepRules,
  };
}

/** Trimming or dropping to count while measuring: the rules, and the counter that applies them to this range. */
export interface KeepMeasure {
  rules: KeepRule[];
  counter: KeptCounter;
  /** Flat index of this range's element 0 in the whole tensor. */
  offset: number;
}

/**
 * One streamed pass over the inputs and the written output (first slots from 8 upward are used).
 * With `keep` (and a base) it also counts what trimming or dropping keeps; an sce mask first
 * sweeps the task vectors once or twice more to find its cut.
 */
export function measureRange(
  be: Backend,
  chunk: number,
  models: TensorStream[],
  base: TensorStream | undefined,
  out: TensorStream,
  count: number,
  keep?: KeepMeasure,
): StatSums {
  const k = models.length;
  const sums = emptySums(k, base && keep ? keep.rules : null);
  const counter = base ? keep?.counter : undefined;
  const bufs = models.map((_, i) => be.f32(8 + i, chunk));
  const b = base ? be.f32(8 + k, chunk) : undefined;
  const o = be.f32(9 + k, chunk);
  const counts = new Array<number>(k + 2).fill(0);
  const gram2 = [0, 0, 0];
  const tally = { nan: 0, inf: 0 };
  const readInputs = (start: number, len: number, squares: boolean) => {
    if (base && b) base.read(start, len, b);
    models.forEach((m, i) => {
      m.read(start, len, bufs[i]);
      if (squares) sums.inputSq[i] = be.dotBlocks(bufs[i], bufs[i], len, sums.inputSq[i]);
      if (b) be.sub(bufs[i], b, bufs[i], len);
    });
  };
  if (counter?.needsPrepare) {
    counter.prepare((visit) => {
      for (let start = 0; start < count; start += chunk) {
        const len = Math.min(chunk, count - start);
        readInputs(start, len, false);
        visit(bufs, start, len);
      }
    });
  }
  for (let start = 0; start < count; start += chunk) {
    const len = Math.min(chunk, count - start);
    readInputs(start, len, true);
    // Non-zero coordinates per model, and where two or more task vectors meet and disagree in sign.
    counts.fill(0);
    be.signCounts(bufs, len, counts);
    for (let i = 0; i < k; i++) sums.nonzero[i] += counts[i];
    if (k >= 2) {
      sums.contested += counts[k];
      sums.conflicting += counts[k + 1];
    }
    if (counter) counter.count(bufs, keep!.offset + start, len, sums.kept);
    if (k === 2) {
      // The usual pair in one sweep (the same totals as the three products below).
      gram2[0] = sums.gram[0];
      gram2[1] = sums.gram[1];
      gram2[2] = sums.gram[3];
      be.gramTwo(bufs[0], bufs[1], len, gram2);
      [sums.gram[0], sums.gram[1], sums.gram[3]] = gram2;
    } else for (let i = 0; i < k; i++) for (let j = i; j < k; j++) sums.gram[i * k + j] = be.dotBlocks(bufs[i], bufs[j], len, sums.gram[i * k + j]);
    out.read(start, len, o);
    be.countNonFinite('F32', new Uint8Array(o.buffer, o.byteOffset, len * 4), len, tally);
    sums.outSq = be.dotBlocks(o, o, len, sums.outSq);
    sums.n += len;
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) sums.gram[i * k + j] = sums.gram[j * k + i];
  sums.nan += tally.nan;
  sums.inf += tally.inf;
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
    taskNorms: taskNorms.map(finiteOrNull),
    normRatio: finiteOrNull(normRatio),
    cosine: finiteOrNull(pairs > 0 ? cosSum / pairs : null),
    signConflict: k >= 2 ? (s.contested > 0 ? s.conflicting / s.contested : 0) : null,
    normSag: finiteOrNull(meanInput > 0 ? mergedNorm / meanInput : null),
    mergedNorm: finiteOrNull(mergedNorm),
    nan: s.nan,
    inf: s.inf,
    taskNonzero: s.nonzero,
    ...keptStats(s),
  };
}

function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}

function keptStats(s: StatSums): Pick<MergeStats, 'taskKept' | 'keptFraction'> {
  const rules = s.keepRules;
  if (!rules) return { taskKept: null, keptFraction: null };
  const taskKept = rules.map((r, i) => keptOf(r, s.nonzero[i], s.kept[i]));
  return { taskKept, keptFraction: taskKept.map((kept, i) => (s.nonzero[i] > 0 ? kept / s.nonzero[i] : null)) };
}
