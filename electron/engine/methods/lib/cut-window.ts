/**
 * Predicting where top-k cuts fall, so that one sweep both locates and refines them. Radix select
 * (radix-select.ts) needs two sweeps over a tensor: the high-16-bit histogram, then the low
 * histogram of the bin the cut falls in. A small sample of the tensor (SAMPLE_PIECES evenly
 * spaced pieces) predicts that bin; the first sweep then counts only the low histograms of a
 * window of WINDOW_BINS bins around the prediction, and how many elements lie above the window
 * (a SIMD compare: no scattered increments for the elements outside it). When the cut lies in the
 * window (almost always: the window spans ±Z standard errors of the sample's rank estimate, and
 * more), it is exact after that one sweep. The prediction only decides speed, never bits: cuts
 * are always computed from the complete counts, and a cut outside the windows falls back to the
 * two sweeps of plain radix select.
 *
 * Hand-written: this is part of the streamed exact selection, which no library provides.
 */
import { BINS, histogramTotal, locateFromTop } from './radix-select.js';

/** Low histograms the first sweep counts at most, per sparsified model (65536 bins each). */
export const WINDOW_BINS = 4;
/** Histograms of 65536 bins a model's statistics pass may hold: the high one and a window of lows. */
export const HISTOGRAMS_PER_INPUT = 1 + WINDOW_BINS;
/** Tensors below this many elements skip the sample: their second sweep costs little. */
export const SAMPLE_MIN = 1 << 22;
export const SAMPLE_PIECES = 64;
export const SAMPLE_PIECE = 4096;
/** Standard errors of the sampled rank on either side of the estimate that the window covers. */
const Z = 4;

/**
 * Window histograms (per model) all the ranges of a split tensor may hold at once: each range's
 * partial keeps its window until the pass is combined on the main thread, so a tensor split into
 * many ranges gets a narrower window (at least one bin: the memory of the second sweep it saves).
 * Partials travel sparse and never larger than dense (sparse-hist.ts): at most 128 × 256 KiB per
 * model on the main thread, a few KiB for bf16 task vectors, whose low bits are mostly zero. A
 * one-bin window misses a cut near its edge, which costs the tensor two more sweeps: measured on
 * the engine bench's 128256 × 4096 embedding split into 64 ranges, ties took 3.4–3.6 s with one bin
 * per range (a miss) and 3.1 s with two.
 */
const HELD_WINDOW_HISTOGRAMS = 128;

/** Window bins per model for a tensor run as `ranges` ranges. */
export function windowBinsFor(ranges: number): number {
  return Math.max(1, Math.min(WINDOW_BINS, Math.floor(HELD_WINDOW_HISTOGRAMS / Math.max(1, ranges))));
}

/** Consecutive high bins [first, first + count) whose low histograms the first sweep counts. */
export interface BinWindow {
  first: number;
  count: number;
}

export interface Piece {
  start: number;
  len: number;
}

/** The sampled pieces of a range of n elements: `pieces` evenly spaced, or all of a short range. */
export function samplePieces(n: number, pieces = SAMPLE_PIECES): Piece[] {
  if (n <= 0) return [];
  if (n <= pieces * SAMPLE_PIECE) return [{ start: 0, len: n }];
  return Array.from({ length: pieces }, (_, j) => ({
    start: Math.floor(((2 * j + 1) * (n - SAMPLE_PIECE)) / (2 * pieces)),
    len: SAMPLE_PIECE,
  }));
}

/** Pieces each range of a split tensor samples at least. */
export const MIN_RANGE_PIECES = 16;

/**
 * Pieces a range of `count` elements of a tensor of `numel` samples: its share of SAMPLE_PIECES,
 * at least MIN_RANGE_PIECES (a tensor run whole samples SAMPLE_PIECES). The ranges' samples add up,
 * so a split tensor's sample is never smaller than a whole one's. Measured on the engine bench's
 * 128256 × 4096 embedding in 32 ranges: 64 pieces per range took 170 ms of worker time, 16 about
 * 85 ms, 4 about 40 ms; with 4 (a sample of 0.5M elements) breadcrumbs_ties' cut at the top 1%
 * missed its window (two more sweeps), with 8 or more it did not.
 */
export function rangePieces(count: number, numel: number): number {
  if (!(numel > count)) return SAMPLE_PIECES;
  return Math.max(MIN_RANGE_PIECES, Math.ceil((SAMPLE_PIECES * count) / numel));
}

/** Whether a tensor of numel elements cut at these k samples first (some cut falls strictly inside). */
export function worthSampling(ks: readonly number[], numel: number): boolean {
  return numel >= SAMPLE_MIN && ks.some((k) => k > 0 && k < numel);
}

/** Predicted bins of one cut: the likely range [low, high] and the most likely bin. */
interface Prediction {
  low: number;
  high: number;
  centre: number;
}

function predict(sample: ArrayLike<number>, m: number, k: number, numel: number): Prediction {
  const q = k / numel;
  const centre = q * m;
  const spread = Z * Math.sqrt(m * q * (1 - q)) + 1;
  const rank = (r: number) => Math.min(m, Math.max(1, r));
  return {
    // Rank 1 is the largest magnitude, in the highest bin.
    high: locateFromTop(sample, rank(Math.floor(centre - spread))).bin,
    low: locateFromTop(sample, rank(Math.ceil(centre + spread))).bin,
    centre: locateFromTop(sample, rank(Math.round(centre))).bin,
  };
}

/** At most `budget` bins of [p.low, p.high], centred on p.centre when the range is wider. */
function narrow(p: Prediction, budget: number): BinWindow {
  const width = p.high - p.low + 1;
  if (width <= budget) return { first: p.low, count: width };
  const first = Math.min(p.high - budget + 1, Math.max(p.low, p.centre - Math.floor((budget - 1) / 2)));
  return { first, count: budget };
}

/**
 * The windows (at most maxBins ≤ WINDOW_BINS bins in all) whose low histograms the first sweep
 * counts, from the high histogram of a sample (65536 bins) and the cuts' k over a tensor of numel elements.
 */
export function predictWindows(sample: ArrayLike<number>, ks: readonly number[], numel: number, maxBins = WINDOW_BINS): BinWindow[] {
  const m = histogramTotal(sample);
  const inside = ks.filter((k) => k > 0 && k < numel);
  if (m === 0 || inside.length === 0) return [];
  const predictions = inside.map((k) => predict(sample, m, k, numel));
  const low = Math.min(...predictions.map((p) => p.low));
  const high = Math.max(...predictions.map((p) => p.high));
  // Cuts close together share one window; else each gets its share of the bins.
  const budget = Math.max(1, Math.min(WINDOW_BINS, maxBins));
  if (predictions.length === 1 || high - low + 1 <= budget) {
    const centre = Math.round(predictions.reduce((s, p) => s + p.centre, 0) / predictions.length);
    return [narrow({ low, high, centre }, budget)];
  }
  const share = Math.max(1, Math.floor(budget / predictions.length));
  const windows = predictions.map((p) => narrow(p, share)).sort((a, b) => a.first - b.first);
  // Overlapping windows become one (at most 2·share ≤ budget bins): each bin is counted once.
  const merged: BinWindow[] = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w.first < last.first + last.count) last.count = Math.max(last.count, w.first + w.count - last.first);
    else merged.push({ ...w });
  }
  return merged;
}

/**
 * A stand-in for the high histogram after a windowed sweep: each window's bins hold their exact
 * totals (from its low histograms), the elements between two windows sit in the bin just above
 * the lower one, those above the top window in the bin just above it, and those below the lowest
 * window in the bin just below it. planCuts on it finds the same bin, and the same count above
 * it, as on the real histogram for every cut that falls inside a window; a cut that falls into
 * one of the stand-in bins is either on that bin's lower edge, whose threshold (keep bits ≥ the
 * edge) keeps the same entries as the real one, or pending there, which the caller treats as a
 * miss. windows: sorted, disjoint; above[w]: elements with high bits ≥ the end of window w;
 * totals[w][b]: the elements in bin w.first + b; high: 65536 zeroed bins, filled and returned.
 */
export function windowedHigh(
  windows: readonly BinWindow[],
  above: readonly number[],
  totals: readonly (readonly number[])[],
  numel: number,
  high: Float64Array = new Float64Array(BINS),
): Float64Array {
  const inWindow = windows.map((w, i) => {
    let total = 0;
    for (let b = 0; b < w.count; b++) {
      high[w.first + b] += totals[i][b];
      total += totals[i][b];
    }
    return total;
  });
  windows.forEach((w, i) => {
    const next = i + 1 < windows.length ? above[i + 1] + inWindow[i + 1] : 0;
    const between = above[i] - next;
    if (between > 0) high[w.first + w.count] += between;
  });
  const below = numel - above[0] - inWindow[0];
  if (below > 0) high[windows[0].first - 1] += below;
  return high;
}

/** The window holding `bin` and the bin's position in it, or undefined. */
export function findInWindows(windows: readonly BinWindow[], bin: number): { window: number; at: number } | undefined {
  for (const [window, w] of windows.entries()) {
    if (bin >= w.first && bin < w.first + w.count) return { window, at: bin - w.first };
  }
  return undefined;
}
