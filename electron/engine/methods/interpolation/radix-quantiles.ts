/**
 * Exact order statistics of a streamed multiset of non-negative float32 values, without sorting or
 * holding them: non-negative floats order like their bit patterns read as unsigned integers, so a
 * two-level radix select finds the value of any rank in two passes (Backend.absHistHigh on the high
 * 16 bits, then Backend.absHistLow on the low 16 bits inside the bins that hold the ranks).
 *
 * A small local version for arcee_fusion's quantiles: another engineer is writing the shared radix
 * select in methods/lib/; this one should be replaced by it when it lands.
 */
import type { Backend } from '../../backend/types.js';
import { bitsToF32 } from '../../backend/float-bits.js';

const BINS = 65536;
const HIGH_SLOT = 0;
const FIRST_LOW_SLOT = 1;

/** Calls `visit` for every chunk of the values (the same values, in any order, on every call). */
export type ValueStream = (visit: (values: Float32Array, n: number) => void) => void;

/** For a histogram, the bin holding the element of 0-based `rank` and that element's rank within the bin. */
function locate(hist: Uint32Array, rank: number): { bin: number; rankInBin: number } {
  let below = 0;
  for (let bin = 0; bin < BINS; bin++) {
    if (below + hist[bin] > rank) return { bin, rankInBin: rank - below };
    below += hist[bin];
  }
  throw new Error(`rank ${rank} is outside the ${below} values streamed`);
}

/**
 * The values at the given 0-based ranks of the ascending order of all streamed values (values must
 * be ≥ 0 or −0; the sign bit is ignored). Streams the values twice.
 */
export function selectRanksOfNonNegative(ranks: readonly number[], stream: ValueStream, be: Backend): number[] {
  // Every buffer is taken before the first pass (a WebAssembly backend's views must not move).
  const high = be.u32(HIGH_SLOT, BINS).fill(0, 0, BINS);
  const lowBuffers = ranks.map((_, i) => be.u32(FIRST_LOW_SLOT + i, BINS));
  stream((values, n) => be.absHistHigh(values, n, high));
  const located = ranks.map((r) => locate(high, r));

  const highs = [...new Set(located.map((l) => l.bin))];
  const lows = highs.map((_, i) => lowBuffers[i].fill(0, 0, BINS));
  stream((values, n) => highs.forEach((h, i) => be.absHistLow(values, n, h, lows[i])));

  return located.map(({ bin, rankInBin }) => {
    const low = locate(lows[highs.indexOf(bin)], rankInBin).bin;
    return bitsToF32(((bin << 16) | low) >>> 0);
  });
}
