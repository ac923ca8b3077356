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
import type { Backend } from '../../backend/types.js';
import type { TopKCut } from './radix-select.js';

/** Tie budgets handed to Backend.bandMask per call (one call never sees more elements). */
const MAX_LEFT = 0xffffffff;

export class RankBandCursor {
  private hiSeen = 0;
  private loSeen = 0;

  constructor(
    private readonly hi: TopKCut,
    private readonly lo: TopKCut,
  ) {}

  /**
   * x[i] = +0 for the next n entries (flat order) outside the band, in place: the same decisions as
   * mark() + applyKeep, as one Backend.bandMask call. band: a scratch Uint32Array of 4 from `backend`.
   */
  cut(backend: Backend, x: Float32Array, n: number, band: Uint32Array): void {
    const hiLeft = Math.max(0, this.hi.ties - this.hiSeen);
    const loLeft = Math.max(0, this.lo.ties - this.loSeen);
    const h0 = Math.min(hiLeft, MAX_LEFT);
    const l0 = Math.min(loLeft, MAX_LEFT);
    band[0] = bandThreshold(this.hi.threshold);
    band[1] = this.hi.threshold > 0x7fffffff ? 0 : h0;
    band[2] = bandThreshold(this.lo.threshold);
    band[3] = this.lo.threshold > 0x7fffffff ? 0 : l0;
    backend.bandMask(x, n, band);
    // Equal entries seen past the budget never count again (only the budget matters), so advancing
    // the seen counters by the budget used keeps later calls exact.
    this.hiSeen += h0 - band[1];
    this.loSeen += l0 - band[3];
  }

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

/** The cut's threshold as bandMask's int32 (as unsigned bits): −1 stays −1; above every magnitude (KEEP_NONE) becomes 0x7fffffff with no ties. */
function bandThreshold(t: number): number {
  if (t < 0) return 0xffffffff;
  return t > 0x7fffffff ? 0x7fffffff : t;
}
