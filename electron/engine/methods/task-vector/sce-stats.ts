/**
 * sce's whole-tensor statistics as plain data (kernel.ts RangeStatistics): the state after each
 * pass, the partials one pass over one range gathers, and how the partials of every range, in range
 * order, advance the state. The passes: the variance's high histogram and nonzero count; the low
 * histogram of the cut's bin, when the cut falls inside a bin; the masked task vectors' squared
 * norms. The bits never depend on the split: counts add exactly, the cut's ties are handed to the
 * ranges in flat order (range-ties.ts), and the squares' float64 block sums are added in block order
 * (block-sum.ts), as one Backend.dotBlocks running total over the whole tensor adds them.
 */
import { sumInOrder } from '../lib/block-sum.js';
import { BINS, isPending, planCuts, resolveCut, type TopKCut } from '../lib/radix-select.js';
import { rangeTieBudgets } from '../lib/range-ties.js';
import { zeroedSums } from '../lib/reused-sums.js';
import { addSparse, countAt, type SparseHist } from '../lib/sparse-hist.js';

/** Below this Σ_j mean(τ_j²) the models are weighted uniformly (spec §3). */
export const SCE_UNIFORM_BELOW = 1e-6;

/** The variance cut: its threshold and, per range (in order), how many entries equal to it the range keeps. */
export interface SceCut {
  threshold: number;
  /** Missing entries are 0. A tensor run as one range has one entry: the cut's ties. */
  budgets: number[];
}

export type SceState =
  | { phase: 'variance'; topk: number; numel: number; models: number }
  | { phase: 'low'; bin: number; need: number; numel: number; models: number }
  /** cut null: no mask (select_topk 1). */
  | { phase: 'norms'; cut: SceCut | null; numel: number; models: number }
  /** Nothing survives the mask: the output is the base. */
  | { phase: 'base' }
  /** squares: Σ τ_i² over the whole masked tensor (float64), from which ω (float32) follows. */
  | { phase: 'ready'; cut: SceCut | null; omega: number[]; squares: number[] };

export type ScePartial =
  | { high: SparseHist; nonzero: number }
  | { low: SparseHist }
  /** Per model, the float64 sums of τ_i² of the range's blocks, in order. */
  | { squares: Float64Array[] };

export function initialSceState(topk: number, numel: number, models: number): SceState {
  return topk < 1 ? { phase: 'variance', topk, numel, models } : { phase: 'norms', cut: null, numel, models };
}

export function sceWantsPass(state: SceState): boolean {
  return state.phase === 'variance' || state.phase === 'low' || state.phase === 'norms';
}

/** The cut as range r applies it (rank-band.ts). */
export function sceCutForRange(cut: SceCut, range: number): TopKCut {
  return { threshold: cut.threshold, ties: cut.budgets[range] ?? 0 };
}

/**
 * For the diagnostics of a range of a split tensor: the variance cut as range r applies it, 'none'
 * when nothing survived the mask, or undefined when the state holds no cut (no mask, or a pass is
 * still pending).
 */
export function sceRangeCut(state: SceState, range: number): TopKCut | 'none' | undefined {
  if (state.phase === 'base') return 'none';
  if (state.phase !== 'ready' || !state.cut) return undefined;
  return sceCutForRange(state.cut, range);
}

/** The next state from one pass's partials of every range, in range order. */
export function combineSce(state: SceState, partials: readonly ScePartial[]): SceState {
  if (state.phase === 'variance') {
    const parts = partials as { high: SparseHist; nonzero: number }[];
    const nonzero = parts.reduce((s, p) => s + p.nonzero, 0);
    const k = Math.floor(state.topk * nonzero);
    if (k === 0) return { phase: 'base' };
    const high = zeroedSums('sce-high', BINS);
    for (const p of parts) addSparse(high, p.high);
    const { plans, bins } = planCuts(high, [k]);
    const plan = plans[0];
    if (isPending(plan)) return { phase: 'low', bin: bins[plan.low], need: plan.need, numel: state.numel, models: state.models };
    return norms(state, { threshold: plan.threshold, budgets: [] });
  }
  if (state.phase === 'low') {
    const lows = (partials as { low: SparseHist }[]).map((p) => p.low);
    const total = zeroedSums('sce-low', BINS);
    for (const l of lows) addSparse(total, l);
    const { threshold, ties } = resolveCut(state.bin, total, state.need);
    return norms(state, { threshold, budgets: rangeTieBudgets(ties, lows.map((l) => countAt(l, threshold & 0xffff))) });
  }
  if (state.phase === 'norms') {
    const parts = partials as { squares: Float64Array[] }[];
    const squares = Array.from({ length: state.models }, (_, i) => sumInOrder(parts.map((p) => p.squares[i])));
    const means = squares.map((s) => s / state.numel);
    const sum = means.reduce((s, m) => s + m, 0);
    const omega = means.map((m) => Math.fround(sum < SCE_UNIFORM_BELOW ? 1 / state.models : m / sum));
    return { phase: 'ready', cut: state.cut, omega, squares };
  }
  throw new Error(`sce: no statistics pass is pending (phase ${state.phase})`);
}

/**
 * The norms pass with this cut. 1 ≤ k < count_nonzero(v) (select_topk < 1): the k-th largest
 * variance is nonzero, so the cut keeps only variances with magnitude bits above 0, and zeroing τ
 * where the banded variance is zero (Backend.keepNonzero) applies exactly the cut's decisions.
 */
function norms(state: { numel: number; models: number }, cut: SceCut): SceState {
  if (!(cut.threshold > 0 && cut.threshold <= 0x7fffffff)) throw new Error(`sce: the variance cut at ${cut.threshold} would keep zero variances`);
  return { phase: 'norms', cut, numel: state.numel, models: state.models };
}
