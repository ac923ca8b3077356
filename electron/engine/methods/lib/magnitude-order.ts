/**
 * The order of a short vector (one row) by |x| descending, equal magnitudes by lower index first
 * (spec §0), for per-row ranks (DELLA). A stable LSD radix sort on the 31 magnitude bits, three
 * 11-bit digits (a digit shared by every entry is skipped). Hand-written rather than
 * Array.prototype.sort with a comparator: it is O(m) per row, allocation-free on reused scratch,
 * and its tie order is fixed by construction.
 */
import type { Scratch, View } from './scratch.js';

const DIGIT_BITS = 11;
const DIGITS = 1 << DIGIT_BITS;
const DIGIT_MASK = DIGITS - 1;

export class MagnitudeOrder {
  private readonly bufs: View<Uint32Array>[];

  /** maxLength: the longest vector order() will be given. */
  constructor(
    scratch: Scratch,
    readonly maxLength: number,
  ) {
    this.bufs = [scratch.u32(maxLength), scratch.u32(maxLength), scratch.u32(maxLength), scratch.u32(maxLength), scratch.u32(DIGITS)];
  }

  /**
   * Returns positions 0..m−1 of x ordered by |x| descending (lower index first among equals):
   * element [q] is the index of the entry of descending rank q. The array is scratch, valid until
   * the next call.
   */
  order(x: Float32Array, m: number): Uint32Array {
    if (m > this.maxLength) throw new RangeError(`row of ${m} exceeds the reserved ${this.maxLength}`);
    if (m === 0) return this.bufs[0]().subarray(0, 0);
    const bits = new Uint32Array(x.buffer, x.byteOffset, m);
    let idx = this.bufs[0]();
    let key = this.bufs[1]();
    let idx2 = this.bufs[2]();
    let key2 = this.bufs[3]();
    const count = this.bufs[4]();
    // Ascending key = descending magnitude; stability keeps lower indices first among equals.
    for (let i = 0; i < m; i++) {
      idx[i] = i;
      key[i] = 0x7fffffff - (bits[i] & 0x7fffffff);
    }
    for (let shift = 0; shift < 31; shift += DIGIT_BITS) {
      count.fill(0);
      for (let i = 0; i < m; i++) count[(key[i] >>> shift) & DIGIT_MASK]++;
      if (count[(key[0] >>> shift) & DIGIT_MASK] === m) continue;
      let sum = 0;
      for (let d = 0; d < DIGITS; d++) {
        const c = count[d];
        count[d] = sum;
        sum += c;
      }
      for (let i = 0; i < m; i++) {
        const k = key[i];
        const at = count[(k >>> shift) & DIGIT_MASK]++;
        key2[at] = k;
        idx2[at] = idx[i];
      }
      [idx, idx2] = [idx2, idx];
      [key, key2] = [key2, key];
    }
    return idx.subarray(0, m);
  }
}
