/**
 * The whole-tensor statistics of the sparsifiers that need them, as plain data: a sparsifier's
 * state (what it knows so far), the partial statistics one pass over one range of the tensor
 * gathers (magnitude histograms, per-block l1 sums), and how the partials of every range, in
 * range order, advance the state. The same functions serve a tensor run as one range and a tensor
 * whose ranges run on several threads, so the bits never depend on the split: histograms add
 * exactly, cut tie budgets are handed to ranges in flat order (range-ties.ts), and block sums are
 * added in the order of the blocks (block-sum.ts).
 */
import { BINS, KEEP_ALL, KEEP_NONE, isPending, planCuts, resolveCut, type CutPlan, type TopKCut } from '../lib/radix-select.js';
import { findInWindows, predictWindows, windowBinsFor, windowedHigh, worthSampling, type BinWindow } from '../lib/cut-window.js';
import { sumInOrder } from '../lib/block-sum.js';
import { zeroedSums } from '../lib/reused-sums.js';
import { rangeTieBudgets } from '../lib/range-ties.js';
import { addSparse, countAt, sumSparse, type SparseHist } from '../lib/sparse-hist.js';
import type { SparsifierKind } from './family.js';
import type { ModelSettings, RescaleRule } from './settings.js';

/** A final cut: its threshold and, per range (in order), how many entries equal to it the range keeps. */
export interface RangedCut {
  threshold: number;
  /** Missing entries are 0. A tensor run as one range has one entry: the cut's ties. */
  budgets: number[];
}

/**
 * A magnitude band's cuts: 'sample' (large tensors) predicts the cuts' bins from a sample
 * (lib/cut-window.ts); 'high' counts the low histograms of the predicted windows and how many
 * elements lie above each (or, without a prediction, the high histogram); 'low' counts the low
 * histograms of the cuts' bins, once the high histogram has located them. A cut the windows missed
 * falls back to 'high' without windows, then 'low'.
 */
export type BandState =
  | { kind: 'band'; phase: 'sample'; ks: [number, number]; numel: number }
  | { kind: 'band'; phase: 'high'; ks: [number, number]; windows: BinWindow[]; numel: number }
  | { kind: 'band'; phase: 'low'; ks: [number, number]; bins: number[]; plans: CutPlan[] }
  | { kind: 'band'; phase: 'ready'; cuts: [RangedCut, RangedCut] };

export interface L1State {
  kind: 'l1';
  phase: 'inner' | 'norms' | 'ready';
  inner: SparsifierState;
  /** Whether the norms pass keeps DELLA's keep decisions for the output pass (kept-decisions.ts). */
  keepsDecisions?: boolean;
  /** Once ready: per range, in order, its packed decisions (shared between threads), when kept. */
  decisions?: Uint8Array[];
  /** float64 ratio ‖δ‖₁ / ‖δ⊙m‖₁, or null for no rescale (once ready). */
  factor: number | null;
  /** ‖δ‖₁ and ‖δ⊙m‖₁ over the whole tensor (once ready). */
  norms?: { before: number; after: number };
}

/** 'none': nothing to gather (identity, DARE's random drop, DELLA). */
export type SparsifierState = { kind: 'none' } | BandState | L1State;

/** Histograms in sparse form (lib/sparse-hist.ts). Per window of the state: above, the elements above it; windows, its count × 65536 low bins. */
export type BandPartial = { sample: SparseHist } | { high: SparseHist } | { above: number[]; windows: SparseHist[] } | { lows: SparseHist[] };
/** The norms pass's partial: per-block sums and, when kept, the range's packed DELLA decisions (a SharedArrayBuffer view). */
export type L1Partial = { inner: SparsifierPartial } | { before: Float64Array; after: Float64Array; decisions?: Uint8Array };
export type SparsifierPartial = BandPartial | L1Partial;

/** Breadcrumbs' band (spec §2 magnitude_outliers): ascending positions [bottom, n − top) as descending ranks [top, n − bottom). */
export function outlierBand(density: number, gamma: number, n: number): { lo: number; hi: number } {
  const keep = Math.floor(density * n);
  let top = Math.floor(gamma * n);
  let bottom = n - keep - top;
  if (bottom < 0) {
    top += bottom;
    bottom = 0;
  }
  return { lo: top, hi: n - bottom };
}

/** Whether this model's δ is sparsified at all (density 1 means no sparsification, spec §2). */
export function sparsifies(kind: SparsifierKind, model: ModelSettings): boolean {
  return kind !== 'none' && model.density < 1;
}

/** The state before any pass, for a tensor of numel elements (the whole tensor, however it is split). */
export function initialState(kind: SparsifierKind, model: ModelSettings, rule: RescaleRule, numel: number): SparsifierState {
  if (!sparsifies(kind, model)) return { kind: 'none' };
  let inner: SparsifierState = { kind: 'none' };
  if (kind === 'magnitude') inner = bandState([Math.floor(model.density * numel), 0], numel);
  else if (kind === 'outliers') {
    const { lo, hi } = outlierBand(model.density, model.gamma, numel);
    inner = bandState([hi, lo], numel);
  }
  if (rule !== 'l1') return inner;
  const l1: L1State = { kind: 'l1', phase: wantsPass(inner) ? 'inner' : 'norms', inner, factor: null };
  // DELLA keeps its decisions between the l1 passes unless the run's hold limit says otherwise
  // (pipeline.ts initialStates); the executor counts them in the tensor's working memory (decisionBytes).
  return kind === 'della' ? { ...l1, keepsDecisions: true } : l1;
}

/** Bytes of kept decisions a model's state may hold between passes over a tensor of numel elements in rows of rowLength. */
export function decisionBytes(state: SparsifierState, numel: number, rowLength: number): number {
  if (state.kind !== 'l1' || !state.keepsDecisions) return 0;
  // packedBytes rounds each unit (whole rows) up to a byte: at most one byte more per row.
  return Math.ceil(numel / 8) + Math.ceil(numel / Math.max(1, rowLength));
}

function bandState(ks: [number, number], numel: number): BandState {
  return worthSampling(ks, numel) ? { kind: 'band', phase: 'sample', ks, numel } : { kind: 'band', phase: 'high', ks, windows: [], numel };
}

/** Whether the pass this state wants reads only the sampled pieces of each range (cut-window.ts). */
export function samplesOnly(state: SparsifierState): boolean {
  return sampledNumel(state) !== undefined;
}

/** When the pass this state wants reads only sampled pieces: the elements of the whole tensor. */
export function sampledNumel(state: SparsifierState): number | undefined {
  if (state.kind === 'band') return state.phase === 'sample' ? state.numel : undefined;
  if (state.kind === 'l1') return state.phase === 'inner' ? sampledNumel(state.inner) : undefined;
  return undefined;
}

export function wantsPass(state: SparsifierState): boolean {
  return state.kind !== 'none' && state.phase !== 'ready';
}

/** The next state from the partials of one pass over every range of the tensor, in range order. */
export function combine(state: SparsifierState, partials: readonly SparsifierPartial[]): SparsifierState {
  if (state.kind === 'band') return combineBand(state, partials as BandPartial[]);
  if (state.kind === 'l1') return combineL1(state, partials as L1Partial[]);
  throw new Error(`no statistics to combine for a '${state.kind}' sparsifier`);
}

/** `l1` rescale (spec §2): no rescale when either norm is below this. */
export const L1_EPS = 1e-7;

function combineL1(state: L1State, partials: readonly L1Partial[]): L1State {
  if (state.phase === 'inner') {
    const inner = combine(
      state.inner,
      partials.map((p) => (p as { inner: SparsifierPartial }).inner),
    );
    return { ...state, inner, phase: wantsPass(inner) ? 'inner' : 'norms' };
  }
  if (state.phase !== 'norms') throw new Error('l1 rescale: no pass is pending');
  const norms = partials as { before: Float64Array; after: Float64Array; decisions?: Uint8Array }[];
  const before = sumInOrder(norms.map((p) => p.before));
  const after = sumInOrder(norms.map((p) => p.after));
  const factor = before < L1_EPS || after < L1_EPS ? null : before / after;
  const decisions = norms.every((p) => p.decisions) ? norms.map((p) => p.decisions!) : undefined;
  return { ...state, phase: 'ready', factor, norms: { before, after }, ...(decisions ? { decisions } : {}) };
}

/** Per bin of a window (count bins of 65536 low bins each), its total over every range's low histograms. */
function binTotals(count: number, lows: readonly SparseHist[]): number[] {
  return Array.from({ length: count }, (_, b) => lows.reduce((sum, l) => sum + sumSparse(l, b * BINS, (b + 1) * BINS), 0));
}

function addInto(total: Float64Array, hists: readonly SparseHist[]): Float64Array {
  for (const h of hists) addSparse(total, h);
  return total;
}

/** One bin's 65536-bin low histogram inside a range's partial: bins [from, from + 65536) of hist. */
interface LowHist {
  hist: SparseHist;
  from: number;
}

function combineBand(state: BandState, partials: readonly BandPartial[]): BandState {
  if (state.phase === 'sample') {
    const samples = partials.map((p) => (p as { sample: SparseHist }).sample);
    const windows = predictWindows(addInto(zeroedSums('sample', BINS), samples), state.ks, state.numel, windowBinsFor(partials.length));
    return { kind: 'band', phase: 'high', ks: state.ks, windows, numel: state.numel };
  }
  if (state.phase === 'high' && state.windows.length === 0) {
    const high = addInto(
      zeroedSums('high', BINS),
      partials.map((p) => (p as { high: SparseHist }).high),
    );
    const { plans, bins } = planCuts(high, state.ks);
    if (bins.length === 0) return { kind: 'band', phase: 'ready', cuts: [final(plans[0]), final(plans[1])] };
    return { kind: 'band', phase: 'low', ks: state.ks, bins, plans };
  }
  if (state.phase === 'high') {
    const parts = partials as { above: number[]; windows: SparseHist[] }[];
    const above = state.windows.map((_, w) => parts.reduce((s, p) => s + p.above[w], 0));
    const totals = state.windows.map((w, i) => binTotals(w.count, parts.map((p) => p.windows[i])));
    // Cuts inside the windows are located exactly as by the full high histogram (cut-window.ts).
    const { plans, bins } = planCuts(windowedHigh(state.windows, above, totals, state.numel, zeroedSums('high', BINS)), state.ks);
    const found = bins.map((bin) => findInWindows(state.windows, bin));
    // A cut the windows missed: count the whole high histogram, then the low histograms of its bin.
    if (found.some((f) => f === undefined)) return { kind: 'band', phase: 'high', ks: state.ks, windows: [], numel: state.numel };
    if (bins.length === 0) return { kind: 'band', phase: 'ready', cuts: [final(plans[0]), final(plans[1])] };
    const lowsOf = (i: number): LowHist[] => parts.map((p) => ({ hist: p.windows[found[i]!.window], from: found[i]!.at * BINS }));
    const cut = (plan: CutPlan): RangedCut => (isPending(plan) ? rangedCut(bins[plan.low], lowsOf(plan.low), plan.need) : final(plan));
    return { kind: 'band', phase: 'ready', cuts: [cut(plans[0]), cut(plans[1])] };
  }
  if (state.phase !== 'low') throw new Error('magnitude band: no pass is pending');
  const lows = partials.map((p) => (p as { lows: SparseHist[] }).lows);
  const cut = (plan: CutPlan): RangedCut =>
    isPending(plan)
      ? rangedCut(
          state.bins[plan.low],
          lows.map((l) => ({ hist: l[plan.low], from: 0 })),
          plan.need,
        )
      : final(plan);
  return { kind: 'band', phase: 'ready', cuts: [cut(state.plans[0]), cut(state.plans[1])] };
}

/** The exact cut inside `bin` from every range's low histogram of it (in range order), with the ranges' tie budgets. */
function rangedCut(bin: number, lows: readonly LowHist[], need: number): RangedCut {
  const total = zeroedSums('cut', BINS);
  for (const l of lows) addSparse(total, l.hist, l.from, l.from + BINS);
  const { threshold, ties } = resolveCut(bin, total, need);
  return { threshold, budgets: rangeTieBudgets(ties, lows.map((l) => countAt(l.hist, l.from + (threshold & 0xffff)))) };
}

/** A cut decided by pass 1 (keep all, keep none, or a bin edge): no ties to hand out. */
function final(plan: CutPlan): RangedCut {
  if (isPending(plan) || plan.ties !== 0) throw new Error('magnitude band: a cut inside a bin needs pass 2');
  return { threshold: plan.threshold, budgets: [] };
}

/** The cut as range r applies it (rank-band.ts). */
export function cutForRange(cut: RangedCut, range: number): TopKCut {
  if (cut.threshold === KEEP_ALL.threshold) return KEEP_ALL;
  if (cut.threshold === KEEP_NONE.threshold) return KEEP_NONE;
  return { threshold: cut.threshold, ties: cut.budgets[range] ?? 0 };
}
