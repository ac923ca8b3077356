/**
 * Magnitude sparsifiers over the whole tensor: keep the entries of descending magnitude rank in
 * [lo, hi), ties at either cut broken by lower flat index first. TIES' trim is [0, k) with
 * k = ⌊d·n⌋; breadcrumbs' is [top, n − bottom) (spec §2). Two radix-select passes find the exact
 * cuts (lib/radix-select.ts): this range's high histogram, then its low histograms of the bins
 * the cuts fall in; sparsifier-stats.ts adds the ranges' histograms and hands each range its
 * share of the ties. The second pass is skipped when every cut falls on a histogram bin edge.
 */
import { BINS } from '../lib/radix-select.js';
import { RankBandCursor } from '../lib/rank-band.js';
import type { View } from '../lib/scratch.js';
import { cutForRange, type BandPartial, type BandState } from './sparsifier-stats.js';
import type { Sparsifier, SparsifyContext } from './sparsifier.js';

export class MagnitudeBand implements Sparsifier {
  /** [0]: the high histogram in pass 1; [0] and [1]: the low histograms of pass 2's bins. */
  private readonly hists: View<Uint32Array>[];
  private readonly band: View<Uint32Array>;
  private cursor: RankBandCursor | undefined;

  constructor(
    private readonly state: BandState,
    private readonly ctx: SparsifyContext,
  ) {
    const count = state.phase === 'low' ? state.bins.length : state.phase === 'high' ? 1 : 0;
    this.hists = Array.from({ length: count }, () => ctx.scratch.u32(BINS));
    this.band = ctx.scratch.u32(4);
  }

  wantsPass(): boolean {
    return this.state.phase !== 'ready';
  }

  beginPass(): void {
    for (const h of this.hists) h().fill(0);
  }

  observe(delta: Float32Array, _start: number, len: number): void {
    const be = this.ctx.backend;
    if (this.state.phase === 'high') be.absHistHigh(delta, len, this.hists[0]());
    else if (this.state.phase === 'low') this.state.bins.forEach((bin, i) => be.absHistLow(delta, len, bin, this.hists[i]()));
  }

  endPass(): BandPartial {
    const copies = this.hists.map((h) => h().slice(0, BINS));
    return this.state.phase === 'high' ? { high: copies[0] } : { lows: copies };
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
