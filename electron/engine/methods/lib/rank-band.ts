/**
 * Membership in a band of magnitude ranks, decided in flat order. Ranks count from the largest
 * |x| (rank 0), equal magnitudes ranked by lower flat index first (spec §0). The band [lo, hi)
 * keeps the entries in the top hi but not in the top lo: TIES keeps [0, k); breadcrumbs keeps
 * [top, n − bottom), i.e. drops the `top` largest and the `bottom` smallest; sce keeps [0, k) of
 * the variance. Both cuts use the same tie order, so the top lo is always inside the top hi.
 *
 * Entries must be visited exactly once, in increasing flat index (chunks in order): the cursor
 * counts the entries equal to each threshold seen so far.
 */
import type { TopKCut } from './radix-select.js';

export class RankBandCursor {
  private hiSeen = 0;
  private loSeen = 0;

  constructor(
    private readonly hi: TopKCut,
    private readonly lo: TopKCut,
  ) {}

  /** keep[i] = 1 when the next entry x[i] (flat order) is in the band, else 0. */
  mark(x: Float32Array, n: number, keep: Uint8Array): void {
    const bits = new Uint32Array(x.buffer, x.byteOffset, n);
    const hiT = this.hi.threshold;
    const hiTies = this.hi.ties;
    const loT = this.lo.threshold;
    const loTies = this.lo.ties;
    let hiSeen = this.hiSeen;
    let loSeen = this.loSeen;
    for (let i = 0; i < n; i++) {
      const a = bits[i] & 0x7fffffff;
      let inHi = a > hiT;
      if (a === hiT) inHi = hiSeen++ < hiTies;
      let inLo = a > loT;
      if (a === loT) inLo = loSeen++ < loTies;
      keep[i] = inHi && !inLo ? 1 : 0;
    }
    this.hiSeen = hiSeen;
    this.loSeen = loSeen;
  }
}
