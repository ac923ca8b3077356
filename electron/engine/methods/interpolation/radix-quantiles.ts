/**
 * Exact order statistics of a streamed multiset of non-negative float32 values, without sorting or
 * holding them: non-negative floats order like their bit patterns read as unsigned integers, so a
 * two-level radix select finds the value of any rank in two passes (Backend.absHistHigh on the high
 * 16 bits, then Backend.absHistLow on the low 16 bits inside the bins that hold the ranks). The
 * passes are the caller's (arcee-statistics.ts runs them range by range); these are the steps
 * between them.
 *
 * arcee_fusion's quantiles are ranks counted from the smallest value, and what it needs is the
 * value itself; methods/lib/radix-select.ts cuts the k largest with TIES' tie-breaking by index,
 * which is a different question, so these few lines stand apart from it.
 */
import { bitsToF32 } from '../../backend/float-bits.js';

export const BINS = 65536;

/** A rank located by the high histogram: the high-bits bin holding it, and its rank within the bin. */
export interface LocatedRank {
  bin: number;
  rankInBin: number;
}

/** For a histogram, the bin holding the element of 0-based `rank` and that element's rank within the bin. */
function locate(hist: ArrayLike<number>, rank: number): LocatedRank {
  let below = 0;
  for (let bin = 0; bin < hist.length; bin++) {
    if (below + hist[bin] > rank) return { bin, rankInBin: rank - below };
    below += hist[bin];
  }
  throw new Error(`rank ${rank} is outside the ${below} values streamed`);
}

/** After the high pass: where each rank lies, and the distinct bins whose low histograms are needed. */
export function locateRanks(high: ArrayLike<number>, ranks: readonly number[]): { located: LocatedRank[]; bins: number[] } {
  const located = ranks.map((r) => locate(high, r));
  return { located, bins: [...new Set(located.map((l) => l.bin))] };
}

/** After the low pass: the value of a located rank, from the low histogram of its bin. */
export function valueAt(located: LocatedRank, low: ArrayLike<number>): number {
  const lowBin = locate(low, located.rankInBin).bin;
  return bitsToF32(((located.bin << 16) | lowBin) >>> 0);
}
