/**
 * Exact top-k cuts of float32 magnitudes by radix select on their bits. The bits of a
 * non-negative float32 are ordered like its value, so two streamed histogram passes find the k-th
 * largest |x| exactly: pass 1 counts the high 16 bits (65536 bins) and locates the bin holding the
 * k-th largest; pass 2 counts the low 16 bits inside that bin only. No sorting, no quickselect, and
 * the tensor is never held: only the histograms. Several cuts can share the passes (breadcrumbs
 * cuts twice); a cut that falls on a bin boundary needs no second pass.
 *
 * Ranking convention (spec §0): among equal magnitudes, the lower flat index counts as larger. So
 * the top k are the entries with bits(|x|) > threshold, plus the first `ties` entries in flat
 * order whose bits equal threshold (rank-band.ts applies cuts in that order).
 *
 * Hand-written: the histogram loops are Backend primitives (absHistHigh/absHistLow) so the
 * WebAssembly backend accelerates them; no npm selection library works on streamed chunks.
 */
import type { Scratch, View } from './scratch.js';
import type { Backend } from '../../backend/types.js';

export const BINS = 65536;

/** The k largest: bits(|x|) > threshold, plus the first `ties` entries (flat order) with bits == threshold. */
export interface TopKCut {
  /** Magnitude bits (0..0x7fffffff) of the k-th largest, or −1 (everything is above). */
  readonly threshold: number;
  readonly ties: number;
}

export const KEEP_ALL: TopKCut = { threshold: -1, ties: 0 };
/** No magnitude has bits 0xffffffff (the sign bit is cleared), so nothing is above or equal. */
export const KEEP_NONE: TopKCut = { threshold: 0xffffffff, ties: 0 };

/**
 * The sum of a histogram's bins. A function of its own on purpose: a caller that ran this loop
 * inline was compiled on the loop's back edge (on-stack replacement) before its code after the loop
 * had ever run, and threw that code away on reaching it, once per call (28 times in a TIES merge
 * of the engine bench, recompiled each time: CPU time taken from the workers).
 */
export function histogramTotal(hist: ArrayLike<number>): number {
  let total = 0;
  for (let b = 0; b < hist.length; b++) total += hist[b];
  return total;
}

/** The bin holding the need-th largest entry (1 ≤ need ≤ total) and how many entries lie in higher bins. */
export function locateFromTop(hist: ArrayLike<number>, need: number): { bin: number; above: number } {
  let above = 0;
  for (let bin = hist.length - 1; bin >= 0; bin--) {
    const c = hist[bin];
    if (above + c >= need) return { bin, above };
    above += c;
  }
  throw new RangeError(`cannot select the ${need}-th largest of ${above} entries`);
}

/** A cut whose bin is known after pass 1; pass 2 finds the need-th largest inside low histogram `low`. */
export interface PendingCut {
  need: number;
  /** Index into the bins (low histograms) that pass 2 counts. */
  low: number;
}

export type CutPlan = TopKCut | PendingCut;

export function isPending(p: CutPlan): p is PendingCut {
  return 'need' in p;
}

/**
 * After pass 1 (the high histogram of every entry): the cut for each k (k ≤ 0 keeps nothing,
 * k ≥ the count keeps all; a cut on a bin edge is final), and the bins whose low histograms
 * pass 2 must count (empty: no pass 2).
 */
export function planCuts(high: ArrayLike<number>, ks: readonly number[]): { plans: CutPlan[]; bins: number[] } {
  const total = histogramTotal(high);
  const bins: number[] = [];
  const plans = ks.map((k): CutPlan => {
    if (k <= 0) return KEEP_NONE;
    if (k >= total) return KEEP_ALL;
    const { bin, above } = locateFromTop(high, k);
    const need = k - above;
    // The whole bin is in the top k: keep every magnitude whose high bits are ≥ bin.
    if (need === high[bin]) return { threshold: bin * BINS - 1, ties: 0 };
    let low = bins.indexOf(bin);
    if (low < 0) low = bins.push(bin) - 1;
    return { need, low };
  });
  return { plans, bins };
}

/** After pass 2: the exact cut of a pending plan, from the low histogram of its bin. */
export function resolveCut(bin: number, low: ArrayLike<number>, need: number): TopKCut {
  const { bin: lowBin, above } = locateFromTop(low, need);
  return { threshold: bin * BINS + lowBin, ties: need - above };
}

/** Finds top-k cuts (one or several k) of the magnitudes pushed through addHigh, then addLow. */
export class RadixSelect {
  private readonly high: View<Uint32Array>;
  private readonly spare: View<Uint32Array> | undefined;
  private lows: { bin: number; hist: Uint32Array }[] = [];
  private plans: CutPlan[] = [];

  /** maxCuts: how many cuts plan() will be asked for at most (1 or 2; each may need its own low histogram). */
  constructor(
    private readonly backend: Backend,
    scratch: Scratch,
    maxCuts = 1,
  ) {
    if (maxCuts < 1 || maxCuts > 2) throw new RangeError('RadixSelect supports one or two cuts');
    this.high = scratch.u32(BINS);
    // The high histogram is free once the cuts are planned: it serves as the first low histogram.
    this.spare = maxCuts === 2 ? scratch.u32(BINS) : undefined;
  }

  /** Starts pass 1. */
  beginHigh(): void {
    this.high().fill(0);
  }

  addHigh(x: Float32Array, n: number): void {
    this.backend.absHistHigh(x, n, this.high());
  }

  /**
   * After pass 1: fixes the cuts for these k (k ≤ 0 keeps nothing, k ≥ the count keeps all).
   * Returns true when pass 2 (addLow over the same entries in any order) is needed.
   */
  plan(ks: readonly number[]): boolean {
    const { plans, bins } = planCuts(this.high(), ks);
    this.plans = plans;
    if (bins.length > (this.spare ? 2 : 1)) throw new RangeError('more cuts than reserved histograms');
    this.lows = bins.map((bin, i) => ({ bin, hist: i === 0 ? this.high() : this.spare!() }));
    for (const l of this.lows) l.hist.fill(0);
    return this.lows.length > 0;
  }

  addLow(x: Float32Array, n: number): void {
    for (const l of this.lows) this.backend.absHistLow(x, n, l.bin, l.hist);
  }

  /** The cuts, in the order of plan()'s ks (after pass 2 when plan() asked for it). */
  cuts(): TopKCut[] {
    return this.plans.map((p) => {
      if (!isPending(p)) return p;
      const { bin, hist } = this.lows[p.low];
      return resolveCut(bin, hist, p.need);
    });
  }
}
