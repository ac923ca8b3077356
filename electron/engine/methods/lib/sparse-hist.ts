/**
 * Histograms in the form a range's partial statistics travel in: the non-zero bins only, in
 * increasing order, with their counts. The radix-select histograms of task vectors are sparse:
 * on the engine bench's TIES merge, 0.06% of the windowed passes' bins and 1.2% of the samples'
 * were non-zero, yet every partial was copied out of the worker's scratch memory, cloned into a
 * message, cloned again on the main thread and added there (about 75 MB per run, much of it fresh
 * memory). Counts add exactly in either form, so the cuts, and the bits, do not change. A
 * histogram with at least half its bins non-zero (float32 inputs fill the low bits) stays dense, so
 * that the form never takes more memory than the dense histogram.
 *
 * Hand-written: a few loops over typed arrays, for which no library fits.
 */

export interface SparseHist {
  /** Bins of the dense histogram this stands for. */
  length: number;
  /** The non-zero bins, increasing; null when the histogram is kept dense. */
  bins: Uint32Array | null;
  /** Their counts (same length as bins), or every bin's count when dense. */
  counts: Uint32Array;
}

/** The non-zero bins of dense[0..length) (or a dense copy, when at least half are non-zero), in new arrays (never views of dense). */
export function sparseHist(dense: Uint32Array, length = dense.length): SparseHist {
  const nonzero = countNonzero(dense, length);
  if (2 * nonzero >= length && length > 0) return { length, bins: null, counts: dense.slice(0, length) };
  const bins = new Uint32Array(nonzero);
  const counts = new Uint32Array(nonzero);
  gatherNonzero(dense, length, bins, counts);
  return { length, bins, counts };
}

/** bins, counts = the non-zero entries of dense[0..length) in order (the loops apart from sparseHist: see countNonzero). */
function gatherNonzero(dense: Uint32Array, length: number, bins: Uint32Array, counts: Uint32Array): void {
  let j = 0;
  for (let i = 0; i < length; i++) {
    if (dense[i] !== 0) {
      bins[j] = i;
      counts[j++] = dense[i];
    }
  }
}

/** Non-zero entries of dense[0..length): its own function, so that sparseHist is never compiled mid-loop (see radix-select.ts histogramTotal). */
function countNonzero(dense: Uint32Array, length: number): number {
  let nonzero = 0;
  for (let i = 0; i < length; i++) if (dense[i] !== 0) nonzero++;
  return nonzero;
}

/** First index of bins holding a bin ≥ bin. */
function lowerBound(bins: Uint32Array, bin: number): number {
  let lo = 0;
  let hi = bins.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bins[mid] < bin) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** total[bin − from] += count for every bin of h in [from, to); returns total. */
export function addSparse(total: Float64Array, h: SparseHist, from = 0, to = h.length): Float64Array {
  const { bins, counts } = h;
  if (bins === null) for (let i = from; i < Math.min(to, h.length); i++) total[i - from] += counts[i];
  else for (let j = lowerBound(bins, from); j < bins.length && bins[j] < to; j++) total[bins[j] - from] += counts[j];
  return total;
}

/** The count of every bin of h in [from, to), summed. */
export function sumSparse(h: SparseHist, from: number, to: number): number {
  const { bins, counts } = h;
  let sum = 0;
  if (bins === null) for (let i = from; i < Math.min(to, h.length); i++) sum += counts[i];
  else for (let j = lowerBound(bins, from); j < bins.length && bins[j] < to; j++) sum += counts[j];
  return sum;
}

/** The count of one bin. */
export function countAt(h: SparseHist, bin: number): number {
  if (h.bins === null) return bin >= 0 && bin < h.length ? h.counts[bin] : 0;
  const j = lowerBound(h.bins, bin);
  return j < h.bins.length && h.bins[j] === bin ? h.counts[j] : 0;
}
