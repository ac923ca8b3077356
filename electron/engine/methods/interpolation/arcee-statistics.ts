/**
 * arcee_fusion's whole-tensor statistics gathered range by range (kernel.ts RangeStatistics), so
 * that the executor can run a large tensor (the 128k-row embedding) as ranges of whole rows on
 * several threads. The state is plain data:
 *
 * - pass 1 (phase 'high'): each row's divergence KL(softmax(b) ‖ softmax(a)) and the high radix
 *   histogram of the importance I = |b − a|·KL;
 * - pass 2 (phase 'low'): the low histograms of the bins that hold the quantile ranks;
 * - then the output pass with τ = median + 1.5·(Q3 − Q1) (phase 'ready').
 *
 * The row divergences of pass 1 travel in its partials and are kept in the state (in a
 * SharedArrayBuffer, so the ranges of the later passes share them instead of each getting a copy):
 * each row's exponentials and logarithms are computed once per merge. A tensor of more than
 * KEPT_ROWS rows (a long column of tiny rows, never a real weight) recomputes them in every pass
 * instead (same bits), so the state never grows with the tensor.
 *
 * The bits never depend on the split: counts add exactly, each row's divergence is computed from
 * that row alone, and the quantiles are the same order statistics of the same multiset.
 */
import type { KernelEnv, KernelTask, RangeStatistics, StatisticsInput, TensorSink } from '../kernel.js';
import { zeroedSums } from '../lib/reused-sums.js';
import { addSparse, sparseHist, type SparseHist } from '../lib/sparse-hist.js';
import { RowSoftmaxKl, rowKl, type RowExps } from './arcee-row-kl.js';
import { BINS, locateRanks, valueAt, type LocatedRank } from './radix-quantiles.js';
import { lastDimLength } from './tensor-rows.js';

const fr = Math.fround;
const A_SLOT = 0;
const B_SLOT = 1;
const IMPORTANCE_SLOT = 2;
const OUT_SLOT = 3;
const HIGH_SLOT = 0;
const FIRST_LOW_SLOT = 1;
const QUANTILES = [0.25, 0.5, 0.75] as const;
/** Tensors with at most this many rows keep their row divergences in the state (4 MiB). */
export const KEPT_ROWS = 1 << 20;

export type ArceeState =
  /** keep: whether the row divergences are kept in the state (KEPT_ROWS). */
  | { phase: 'high'; numel: number; keep: boolean }
  /** kl: every row's divergence (float32), or null when recomputed per pass. */
  | { phase: 'low'; numel: number; kl: Float32Array | null; located: LocatedRank[]; bins: number[] }
  | { phase: 'ready'; kl: Float32Array | null; threshold: number };

export type ArceePartial =
  /** kl: the divergences of the range's rows, when the tensor keeps them. */
  | { high: SparseHist; kl: Float32Array | null }
  /** One low histogram per bin of the state, in its order. */
  | { lows: SparseHist[] };

/** The spec's quantile indices ⌊q(n − 1)⌋ for q = 1/4, 1/2, 3/4 (exact in float64). */
export function quantileRanks(n: number): number[] {
  return QUANTILES.map((q) => Math.floor(q * (n - 1)));
}

/** τ = median + 1.5·(Q3 − Q1), computed in float64 and rounded to float32 once. */
export function fusionThreshold(q1: number, median: number, q3: number): number {
  return fr(median + 1.5 * (q3 - q1));
}

/** Whether a tensor of this shape keeps its row divergences in the state. */
function keepsRowDivergences(shape: readonly number[], numel: number): boolean {
  return numel / lastDimLength(shape, numel) <= KEPT_ROWS;
}

/** dst[off + j] = |b − a|·kl in float32 (kl already a float32 value). */
function importanceInto(a: Float32Array, b: Float32Array, dst: Float32Array, off: number, n: number, kl: number): void {
  for (let j = off; j < off + n; j++) dst[j] = Math.abs(fr(b[j] - a[j])) * kl;
}

/** One range of whole rows of an arcee_fusion tensor (the whole tensor when it is not split). */
class ArceeRange {
  private readonly cols: number;
  private readonly rows: number;
  private readonly firstRow: number;
  readonly a: Float32Array;
  readonly b: Float32Array;
  readonly imp: Float32Array;

  constructor(
    private readonly task: KernelTask,
    private readonly env: KernelEnv,
  ) {
    if (!task.base || task.models.length !== 1) throw new Error(`arcee_fusion on tensor ${task.name}: needs the base and exactly one other model`);
    this.cols = lastDimLength(task.shape, task.numel);
    if (task.offset % this.cols !== 0 || task.numel % this.cols !== 0) {
      throw new Error(`arcee_fusion on tensor ${task.name}: range [${task.offset}, ${task.offset + task.numel}) is not whole rows of ${this.cols}`);
    }
    this.rows = task.numel / this.cols;
    this.firstRow = task.offset / this.cols;
    const be = env.backend;
    this.a = be.f32(A_SLOT, env.chunk);
    this.b = be.f32(B_SLOT, env.chunk);
    this.imp = be.f32(IMPORTANCE_SLOT, env.chunk);
  }

  /** The divergence of a row longer than a chunk, read in pieces (three passes over it). */
  private streamedRowKl(rowStart: number): number {
    const { cols, env } = this;
    const kl = new RowSoftmaxKl();
    for (const stage of [kl.observeMax, kl.observeNormalisers, kl.observeDivergence]) {
      for (let p = 0; p < cols; p += env.chunk) {
        env.checkpoint();
        const len = Math.min(env.chunk, cols - p);
        this.task.base!.read(rowStart + p, len, this.a);
        this.task.models[0].read(rowStart + p, len, this.b);
        stage.call(kl, this.a, this.b, 0, len);
      }
    }
    return kl.value();
  }

  /**
   * Calls visit(start, len) for consecutive pieces of the range (range-local start) with a, b and
   * I of the piece in this.a, this.b, this.imp (index 0 = start). Row divergences come from `known`
   * (indexed by the tensor's row) or are computed, and then handed to computed(localRow, kl).
   */
  sweep(known: Float32Array | null, visit: (start: number, len: number) => void, computed?: (row: number, kl: number) => void): void {
    const { cols, rows, env, a, b, imp } = this;
    const base = this.task.base!;
    const other = this.task.models[0];
    const klOf = (row: number, compute: () => number): number => {
      if (known) return known[this.firstRow + row];
      const kl = compute();
      computed?.(row, kl);
      return kl;
    };
    if (cols <= env.chunk) {
      // A row's exponentials, kept between its normalisers and its divergence (rowKl).
      const exps: RowExps | undefined = known ? undefined : { a: new Float64Array(cols), b: new Float64Array(cols) };
      const rowsPerGroup = Math.floor(env.chunk / cols);
      for (let r0 = 0; r0 < rows; r0 += rowsPerGroup) {
        env.checkpoint();
        const count = Math.min(rowsPerGroup, rows - r0);
        const start = r0 * cols;
        const len = count * cols;
        base.read(start, len, a);
        other.read(start, len, b);
        for (let r = 0; r < count; r++) {
          const off = r * cols;
          importanceInto(a, b, imp, off, cols, klOf(r0 + r, () => rowKl(a, b, off, cols, exps)));
        }
        visit(start, len);
      }
      return;
    }
    for (let row = 0; row < rows; row++) {
      const rowStart = row * cols;
      const kl = klOf(row, () => this.streamedRowKl(rowStart));
      for (let p = 0; p < cols; p += env.chunk) {
        env.checkpoint();
        const len = Math.min(env.chunk, cols - p);
        base.read(rowStart + p, len, a);
        other.read(rowStart + p, len, b);
        importanceInto(a, b, imp, 0, len, kl);
        visit(rowStart + p, len);
      }
    }
  }

  /** Pass 1: the high histogram of I, and the rows' divergences when the tensor keeps them. */
  observeHigh(keep: boolean): ArceePartial {
    const be = this.env.backend;
    const high = be.u32(HIGH_SLOT, BINS).fill(0, 0, BINS);
    const kl = keep ? new Float32Array(this.rows) : null;
    this.sweep(null, (_start, len) => be.absHistHigh(this.imp, len, high), kl ? (row, value) => (kl[row] = value) : undefined);
    return { high: sparseHist(high, BINS), kl };
  }

  /** Pass 2: the low histograms of the state's bins. */
  observeLow(state: Extract<ArceeState, { phase: 'low' }>): ArceePartial {
    const be = this.env.backend;
    // Every buffer is taken before the sweep (a WebAssembly backend's views must not move).
    const lows = state.bins.map((_, i) => be.u32(FIRST_LOW_SLOT + i, BINS).fill(0, 0, BINS));
    this.sweep(state.kl, (_start, len) => state.bins.forEach((bin, i) => be.absHistLow(this.imp, len, bin, lows[i])));
    return { lows: lows.map((h) => sparseHist(h, BINS)) };
  }

  /** The output pass: out = a + (b − a)·[I ≥ τ]. */
  apply(state: Extract<ArceeState, { phase: 'ready' }>, out: TensorSink): void {
    const res = this.env.backend.f32(OUT_SLOT, this.env.chunk);
    const { threshold } = state;
    this.sweep(state.kl, (start, len) => {
      const { a, b, imp } = this;
      for (let j = 0; j < len; j++) res[j] = a[j] + fr(fr(b[j] - a[j]) * (imp[j] >= threshold ? 1 : 0));
      out.write(start, res, len);
    });
  }
}

/** The partials' divergences, in range order, as one array of the tensor's rows (shared between threads). */
function joinedDivergences(parts: readonly { kl: Float32Array | null }[]): Float32Array | null {
  if (parts.some((p) => p.kl === null)) return null;
  const rows = parts.reduce((s, p) => s + p.kl!.length, 0);
  const kl = new Float32Array(new SharedArrayBuffer(rows * Float32Array.BYTES_PER_ELEMENT));
  let at = 0;
  for (const p of parts) {
    kl.set(p.kl!, at);
    at += p.kl!.length;
  }
  return kl;
}

export const arceeStatistics: RangeStatistics<ArceeState, ArceePartial> = {
  splits: (_global, modelParams) => modelParams.length === 1,
  // Divergences are per row: ranges are whole rows.
  rangeMultiple: (shape, numel) => lastDimLength(shape, numel),
  initial: (input: StatisticsInput): ArceeState => ({ phase: 'high', numel: input.numel, keep: keepsRowDivergences(input.shape, input.numel) }),
  wantsPass: (state) => state.phase !== 'ready',
  observe(task, state, _range, env) {
    const range = new ArceeRange(task, env);
    if (state.phase === 'high') return range.observeHigh(state.keep);
    if (state.phase === 'low') return range.observeLow(state);
    throw new Error(`arcee_fusion on tensor ${task.name}: no statistics pass is pending`);
  },
  combine(state, partials) {
    if (state.phase === 'high') {
      const parts = partials as { high: SparseHist; kl: Float32Array | null }[];
      const high = zeroedSums('arcee-high', BINS);
      for (const p of parts) addSparse(high, p.high);
      const { located, bins } = locateRanks(high, quantileRanks(state.numel));
      return { phase: 'low', numel: state.numel, kl: joinedDivergences(parts), located, bins };
    }
    if (state.phase === 'low') {
      const parts = partials as { lows: SparseHist[] }[];
      const lows = state.bins.map((_, i) => {
        const sum = zeroedSums(`arcee-low-${i}`, BINS);
        for (const p of parts) addSparse(sum, p.lows[i]);
        return sum;
      });
      const [q1, median, q3] = state.located.map((l) => valueAt(l, lows[state.bins.indexOf(l.bin)]));
      return { phase: 'ready', kl: state.kl, threshold: fusionThreshold(q1, median, q3) };
    }
    throw new Error('arcee_fusion: every statistic is already in');
  },
  apply(task, state, _range, out, env) {
    if (state.phase !== 'ready') throw new Error(`arcee_fusion on tensor ${task.name}: the output pass needs the threshold (phase ${state.phase})`);
    new ArceeRange(task, env).apply(state, out);
  },
};
