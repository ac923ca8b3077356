/**
 * Magnitude sparsifiers over the whole tensor: keep the entries of descending magnitude rank in
 * [lo, hi), ties at either cut broken by lower flat index first. TIES' trim is [0, k) with
 * k = ⌊d·n⌋; breadcrumbs' is [top, n − bottom) (spec §2). Radix select finds the exact cuts
 * (lib/radix-select.ts): this range's high histogram, then its low histograms of the bins the cuts
 * fall in. On a large tensor a sample first predicts those bins (lib/cut-window.ts), and the high
 * sweep counts their low histograms too, so a second sweep is needed only when the prediction
 * missed. sparsifier-stats.ts adds the ranges' histograms and hands each range its share of the ties.
 */
import { BINS } from '../lib/radix-select.js';
import { RankBandCursor } from '../lib/rank-band.js';
import { sparseHist } from '../lib/sparse-hist.js';
import type { View } from '../lib/scratch.js';
import { cutForRange, samplesOnly, type BandPartial, type BandState } from './sparsifier-stats.js';
import type { Sparsifier, SparsifyContext } from './sparsifier.js';

export class MagnitudeBand implements Sparsifier {
  /** The pass's histograms: 'sample' and 'high': [0] the high one; 'low': one per bin. */
  private readonly hists: View<Uint32Array>[];
  /** 'high': the low histograms of each predicted window (count × 65536 bins). */
  private readonly windows: View<Uint32Array>[];
  /** 'high': per predicted window, the elements seen above it. */
  private above: number[] = [];
  private readonly band: View<Uint32Array>;
  private cursor: RankBandCursor | undefined;

  constructor(
    private readonly state: BandState,
    private readonly ctx: SparsifyContext,
  ) {
    const predicted = state.phase === 'high' && state.windows.length > 0;
    const count = state.phase === 'low' ? state.bins.length : state.phase === 'ready' || predicted ? 0 : 1;
    this.hists = Array.from({ length: count }, () => ctx.scratch.u32(BINS));
    this.windows = state.phase === 'high' ? state.windows.map((w) => ctx.scratch.u32(w.count * BINS)) : [];
    this.band = ctx.scratch.u32(4);
  }

  wantsPass(): boolean {
    return this.state.phase !== 'ready';
  }

  samplesOnly(): boolean {
    return samplesOnly(this.state);
  }

  beginPass(): void {
    for (const h of [...this.hists, ...this.windows]) h().fill(0);
    this.above = this.windows.map(() => 0);
  }

  observe(delta: Float32Array, _start: number, len: number): void {
    const be = this.ctx.backend;
    const state = this.state;
    if (state.phase === 'sample') be.absHistHigh(delta, len, this.hists[0]());
    else if (state.phase === 'high') {
      if (state.windows.length === 0) be.absHistHigh(delta, len, this.hists[0]());
      state.windows.forEach((w, i) => (this.above[i] += be.absWindowCount(delta, len, w.first, w.count, this.windows[i]())));
    } else if (state.phase === 'low') state.bins.forEach((bin, i) => be.absHistLow(delta, len, bin, this.hists[i]()));
  }

  endPass(): BandPartial {
    // Sparse copies (lib/sparse-hist.ts): most bins are empty, and the partial crosses to the main thread.
    const copies = this.hists.map((h) => sparseHist(h(), BINS));
    if (this.state.phase === 'sample') return { sample: copies[0] };
    if (this.state.phase === 'high') {
      if (this.windows.length === 0) return { high: copies[0] };
      const windows = this.state.windows;
      return { above: this.above.slice(), windows: this.windows.map((w, i) => sparseHist(w(), windows[i].count * BINS)) };
    }
    return { lows: copies };
  }

  beginApply(): void {
    if (this.state.phase !== 'ready') throw new Error('magnitude band applied before its cuts are known');
    const [hi, lo] = this.state.cuts;
    this.cursor = new RankBandCursor(cutForRange(hi, this.ctx.range), cutForRange(lo, this.ctx.range));
  }

  apply(delta: Float32Array, _start: number, len: number): void {
    this.cursor!.cut(this.ctx.backend, delta, len, this.band());
  }
}
