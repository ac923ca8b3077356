/**
 * Magnitude sparsifiers over the whole tensor: keep the entries of descending magnitude rank in
 * [lo, hi), ties at either cut broken by lower flat index first. TIES' trim is [0, k) with
 * k = ⌊d·n⌋; breadcrumbs' is [top, n − bottom) (spec §2). Two radix-select passes find the exact
 * cuts (lib/radix-select.ts); the second is skipped when every cut falls on a histogram bin edge.
 */
import { KEEP_ALL, KEEP_NONE, RadixSelect, type TopKCut } from '../lib/radix-select.js';
import { RankBandCursor } from '../lib/rank-band.js';
import type { View } from '../lib/scratch.js';
import type { Sparsifier, SparsifyContext } from './sparsifier.js';

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

export class MagnitudeBand implements Sparsifier {
  private readonly select: RadixSelect;
  private phase: 'high' | 'low' | 'ready' = 'high';
  private hiCut: TopKCut = KEEP_ALL;
  private loCut: TopKCut = KEEP_NONE;
  private cursor = new RankBandCursor(KEEP_ALL, KEEP_NONE);
  private readonly band: View<Uint32Array>;

  constructor(
    private readonly lo: number,
    private readonly hi: number,
    private readonly ctx: SparsifyContext,
  ) {
    this.select = new RadixSelect(ctx.backend, ctx.scratch, lo > 0 ? 2 : 1);
    this.band = ctx.scratch.u32(4);
  }

  wantsPass(): boolean {
    return this.phase !== 'ready';
  }

  beginPass(): void {
    if (this.phase === 'high') this.select.beginHigh();
  }

  observe(delta: Float32Array, _start: number, len: number): void {
    if (this.phase === 'high') this.select.addHigh(delta, len);
    else this.select.addLow(delta, len);
  }

  endPass(): void {
    if (this.phase === 'high' && this.select.plan([this.hi, this.lo])) {
      this.phase = 'low';
      return;
    }
    [this.hiCut, this.loCut] = this.select.cuts();
    this.phase = 'ready';
  }

  beginApply(): void {
    this.cursor = new RankBandCursor(this.hiCut, this.loCut);
  }

  apply(delta: Float32Array, _start: number, len: number): void {
    this.cursor.cut(this.ctx.backend, delta, len, this.band());
  }
}
