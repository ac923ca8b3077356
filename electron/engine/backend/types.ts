/**
 * The compute backend: the hot elementwise loops every kernel is built from. The TypeScript
 * backend (ts-backend.ts) is the reference; the WebAssembly SIMD backend (wasm-backend.ts, sources
 * in native/) must write the same bits for every primitive.
 *
 * Arithmetic rules (spec §0): every elementwise step is a float32 operation rounded after each
 * operation, never fused; reductions are float64 sums over blocks of BLOCK consecutive elements,
 * the block sums added in order into a running total. Inside a block, four float64 lanes take the
 * elements i ≡ 0,1,2,3 (mod 4) from the block's start in order, and the block sum is
 * (lane0 + lane1) + (lane2 + lane3): a fixed order that SIMD can follow exactly. A chunk passed to a block reduction must
 * start on a block boundary of the vector being reduced (chunk sizes are multiples of BLOCK).
 *
 * Buffers must come from f32()/bytes()/u32() of the same backend: the WebAssembly backend hands
 * out views of its linear memory so no data is copied in or out.
 */
import type { FloatDtype } from '../io/dtype.js';

export const BLOCK = 4096;

/** How many NaN and how many ±Inf values: encode and countNonFinite add to it. */
export interface NonFiniteTally {
  nan: number;
  inf: number;
}

export interface Backend {
  readonly name: 'ts' | 'wasm';
  /**
   * Make room for this many bytes of scratch buffers in total before a task starts, so that no
   * later f32/bytes/u32 call has to grow memory (growth detaches views the WebAssembly backend
   * handed out earlier). Optional: the TypeScript backend needs nothing.
   */
  reserve?(bytes: number): void;
  /** A reused scratch buffer of at least n float32s for `slot`. Contents are unspecified. */
  f32(slot: number, n: number): Float32Array;
  /** A reused scratch byte buffer of at least n bytes for `slot` (8-byte aligned). */
  bytes(slot: number, n: number): Uint8Array;
  /** A reused scratch Uint32 buffer (histograms); zeroed by the caller when needed. */
  u32(slot: number, n: number): Uint32Array;
  /**
   * Optional: prepare for a task that will hold about `bytes` of scratch in total, so later
   * f32/bytes/u32 requests need not grow memory mid-kernel (the WebAssembly backend; a hint only).
   */
  reserve?(bytes: number): void;

  /** dst[i] = float32(value of element i of src in dtype); n elements. */
  decode(dtype: FloatDtype, src: Uint8Array, dst: Float32Array, n: number): void;
  /**
   * dst[i] = decode(src)[i] − minus[i]: the bits of decode then sub, in one pass where the backend
   * can (a model's task vector against the base). dst, minus and src are disjoint.
   */
  decodeSub(dtype: FloatDtype, src: Uint8Array, minus: Float32Array, dst: Float32Array, n: number): void;
  /**
   * dst bytes = src rounded to dtype (round-to-nearest-even; NaN stays a quiet NaN). With a tally,
   * adds to it how many of the n values *written* are NaN and how many ±Inf: after rounding, so a
   * finite float32 beyond ±65504 that becomes Inf in F16 counts (it stays finite in BF16).
   */
  encode(dtype: FloatDtype, src: Float32Array, dst: Uint8Array, n: number, tally?: NonFiniteTally): void;
  /** Adds to tally how many of the n stored values of dtype in src are NaN and how many ±Inf (a copied tensor). */
  countNonFinite(dtype: FloatDtype, src: Uint8Array, n: number, tally: NonFiniteTally): void;

  /** dst[i] = a[i] − b[i] */
  sub(a: Float32Array, b: Float32Array, dst: Float32Array, n: number): void;
  /** dst[i] = dst[i] + x[i] */
  add(dst: Float32Array, x: Float32Array, n: number): void;
  /** dst[i] = c · dst[i] */
  scale(dst: Float32Array, c: number, n: number): void;
  /** dst[i] = dst[i] + c · x[i]  (two roundings: the product, then the sum) */
  axpy(dst: Float32Array, c: number, x: Float32Array, n: number): void;
  /** dst[i] = c · x[i] */
  scaleTo(dst: Float32Array, c: number, x: Float32Array, n: number): void;
  /** dst[i] = dst[i] / x[i]  (float32 division; a NaN dividend keeps its payload) */
  div(dst: Float32Array, x: Float32Array, n: number): void;

  /** Running float64 total of block sums of x[i]·y[i]; returns the new total. */
  dotBlocks(x: Float32Array, y: Float32Array, n: number, total: number): number;
  /** totals = [dotBlocks(x, x, n, totals[0]), dotBlocks(x, y, n, totals[1]), dotBlocks(y, y, n, totals[2])], the same bits, in one sweep where it can. */
  gramTwo(x: Float32Array, y: Float32Array, n: number, totals: number[]): void;
  /** Running float64 total of block sums of |x[i]|; returns the new total. */
  absSumBlocks(x: Float32Array, n: number, total: number): number;
  /** out[j] = absSumBlocks(block j of x, BLOCK, 0) for `blocks` whole blocks (one call instead of one per block). */
  absSumEachBlock(x: Float32Array, blocks: number, out: Float64Array): void;

  /**
   * For `blocks` whole blocks of x, without writing x: all[j] = absSumEachBlock's sum of block j,
   * and kept[j] = the same sum over randomMask's survivors (x[i] where fmix32((start + i) ^ key) <
   * threshold; dropped entries count as 0): the bits of absSumEachBlock before and after
   * randomMask(x, blocks·BLOCK, start, key, threshold), in one pass.
   */
  keptAbsSumEachBlock(x: Float32Array, blocks: number, start: number, key: number, threshold: number, all: Float64Array, kept: Float64Array): void;

  /** hist[bits(|x[i]|) >>> 16] += 1 (radix select, first level; hist has 65536 bins). */
  absHistHigh(x: Float32Array, n: number, hist: Uint32Array): void;
  /** For elements whose |x| bits have high 16 bits == high: hist[bits & 0xffff] += 1. */
  absHistLow(x: Float32Array, n: number, high: number, hist: Uint32Array): void;
  /**
   * Pass 1 over a predicted window of bins (lib/cut-window.ts): for elements whose |x| bits have
   * high 16 bits h in [first, first + count), lows[(h − first)·65536 + low 16 bits] += 1 (lows:
   * count consecutive 65536-bin histograms). Returns how many elements have h ≥ first + count.
   */
  absWindowCount(x: Float32Array, n: number, first: number, count: number, lows: Uint32Array): number;

  /**
   * A band of magnitude ranks applied in place, elements in flat order (lib/rank-band.ts). band
   * holds [hiT, hiLeft, loT, loLeft]: thresholds hiT, loT read as int32 (−1 ≤ T ≤ 0x7fffffff) and
   * unsigned tie budgets. With a = bits(|x[i]|): inHi = a > hiT, or a == hiT and hiLeft > 0 (which
   * then decrements hiLeft); inLo likewise with loT, loLeft; x[i] becomes +0 unless inHi && !inLo.
   * The budgets left are written back into band.
   */
  bandMask(x: Float32Array, n: number, band: Uint32Array): void;

  /**
   * DARE mask with the spec's counter-based hash: element j (flat index start + i) is kept when
   * fmix32((start + i) ^ key) < threshold (threshold = floor(p_keep · 2^32), as an unsigned number);
   * dropped elements are set to 0. Returns nothing; callers reduce separately.
   */
  randomMask(x: Float32Array, n: number, start: number, key: number, threshold: number): void;

  /** randomMask(x, n, start, key, threshold), then scale(x, c, n): the same bits, in one pass where it can. */
  randomMaskScale(x: Float32Array, n: number, start: number, key: number, threshold: number, c: number): void;

  /**
   * Diagnostics' counts over vectors[0..k)[0..n), added to counts (k + 2 entries): counts[i] the
   * non-zero entries of vector i (NaN is not 0); counts[k] the coordinates where at least two
   * vectors are > 0 or < 0; counts[k + 1] those where some are > 0 and some < 0.
   */
  signCounts(vectors: readonly Float32Array[], n: number, counts: number[]): void;

  /** Diagnostics: how many non-zero entries of x[0..n) randomMask(x, n, start, key, threshold) would keep. */
  countKeptRandom(x: Float32Array, n: number, start: number, key: number, threshold: number): number;

  /**
   * Optional, where a backend runs it faster than DELLA's TypeScript (methods/task-vector/della-drop.ts
   * is the reference, whose bits it writes): on each of `rows` rows of m entries of x, in place,
   * entries ranked by |x| (ascending rank index r − 1; equal magnitudes: the lower index ranks
   * higher) are kept when fmix32((start + row·m + e) ^ key) < thresholds[r − 1], dropped ones
   * becoming +0, and survivors times inverses[r − 1] when inverses is given. start: the flat index
   * of x[0]; thresholds (float64) and inverses (float32) hold m entries each. With `keep` (rows·m
   * bytes, disjoint from x), each entry's decision is also written there: 1 kept, 0 dropped.
   */
  dellaRows?(x: Float32Array, rows: number, m: number, start: number, key: number, thresholds: Float64Array, inverses: Float32Array | null, keep?: Uint8Array): void;

  /**
   * Optional, where a backend runs it faster than nearswap's TypeScript
   * (methods/interpolation/nearswap.ts is the reference, whose bits it writes): for each i < n whose
   * a[i] and b[i] are both finite, dst[i] = nearswap of a[i] (base) and b[i] with threshold t and
   * distance floor `floor` (float32 values). Returns how many elements have a non-finite a or b:
   * their dst is left unspecified, for the caller to compute (dst is disjoint from a and b).
   */
  nearswap?(a: Float32Array, b: Float32Array, dst: Float32Array, n: number, t: number, floor: number): number;

  /**
   * TIES sign election and disjoint sum over weighted task vectors wd[0..k−1] (already w_i·δ_i):
   * with consensus 'sum': s = +1 where Σ_i wd_i ≥ 0 (float32, model order) else −1;
   * with 'count': s = +1 where #(wd_i > 0) ≥ #(wd_i < 0) else −1.
   * mask_i = sign(wd_i) == s (zeros never count); mixed = Σ mask_i·wd_i; div = Σ mask_i·w_i with 0 → 1.
   * weights are float32-rounded per-model scalars.
   */
  signElect(
    wd: Float32Array[],
    weights: number[],
    n: number,
    consensus: 'sum' | 'count',
    mixed: Float32Array,
    div: Float32Array,
  ): void;

  /**
   * The consensus combine of spec §2 on one unit, from the sparsified δ_i: the bits of
   * scale(δ_i, w_i) for each i, signElect(δ, weights, n, consensus, mixed, div), div(mixed, div)
   * when normalize, then axpy(b, λ, mixed). b becomes the output; δ_i, mixed and div are scratch
   * (the WebAssembly kernel does it in one sweep and leaves them untouched).
   */
  consensusMix(
    deltas: Float32Array[],
    weights: number[],
    n: number,
    consensus: 'sum' | 'count',
    normalize: boolean,
    lambda: number,
    b: Float32Array,
    mixed: Float32Array,
    div: Float32Array,
  ): void;

  /**
   * SCE's variance (spec §3): v[j] = the population variance of taus[0][j]..taus[k−1][j] in float32,
   * μ = (Σ_i τ_i)·f32(1/k), v = (Σ_i (τ_i − μ)²)·f32(1/k), sums from +0 in model order, one
   * rounding per operation. Returns how many v[j] are nonzero (a NaN counts). v is disjoint from
   * every τ_i.
   */
  populationVariance(taus: readonly Float32Array[], n: number, v: Float32Array): number;

  /**
   * taus[i][j] = +0 for every i wherever mask[j] is ±0, the rest unchanged (SCE: mask is the
   * variance after bandMask, zero outside the kept band). mask is disjoint from every τ_i.
   */
  keepNonzero(taus: readonly Float32Array[], mask: Float32Array, n: number): void;

  /**
   * SCE's combine (spec §3): b[j] = b[j] + (Σ_i ω_i·m_i·τ_i) / max(Σ_i ω_i·m_i, f32(1e-6)), with
   * s = +1 where Σ_i τ_i ≥ 0 (float32, model order from +0) else −1 (a NaN sum elects −1) and
   * m_i = [sign(τ_i) = s] (zeros and NaN never count); sums from +0 in model order, one rounding
   * per operation. omega: per-model weights, rounded to float32. b is disjoint from every τ_i.
   */
  electedWeightedMean(taus: readonly Float32Array[], omega: readonly number[], n: number, b: Float32Array): void;
}
