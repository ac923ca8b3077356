/**
 * The functions exported by dist/native/kernels.wasm (sources in native/). Addresses are byte
 * offsets into the instance's memory; counts are elements. Integer arguments go through ToInt32,
 * so addresses up to 4 GiB and unsigned 32-bit keys pass through unchanged.
 */
export interface KernelExports {
  heapBase(): number;

  copyF32(src: number, dst: number, n: number): void;
  decodeBf16(src: number, dst: number, n: number): void;
  /** dst = decoded bf16 src − minus (dst and minus the same or disjoint). */
  decodeSubBf16(src: number, minus: number, dst: number, n: number): void;
  decodeF16(src: number, dst: number, n: number): void;
  decodeF64(src: number, dst: number, n: number): void;
  /**
   * The encodes (src and dst disjoint) store how many values written are NaN and how many ±Inf as
   * two u32 at `counts`; so do the countNonFinite scans of n stored values (exp16: the all-ones
   * exponent of a 16-bit float, 0x7f80 bfloat16 or 0x7c00 half).
   */
  encodeF32(src: number, dst: number, n: number, counts: number): void;
  encodeBf16(src: number, dst: number, n: number, counts: number): void;
  encodeF16(src: number, dst: number, n: number, counts: number): void;
  encodeF64(src: number, dst: number, n: number, counts: number): void;
  countNonFinite16(src: number, n: number, exp16: number, counts: number): void;
  countNonFinite32(src: number, n: number, counts: number): void;
  countNonFinite64(src: number, n: number, counts: number): void;

  sub(a: number, b: number, dst: number, n: number): void;
  add(dst: number, x: number, n: number): void;
  scale(dst: number, c: number, n: number): void;
  axpy(dst: number, c: number, x: number, n: number): void;
  scaleTo(dst: number, c: number, x: number, n: number): void;
  div(dst: number, x: number, n: number): void;

  dotBlocks(x: number, y: number, n: number, total: number): number;
  /** out: three float64 running totals (8-byte aligned), added to. */
  gramTwoBlocks(x: number, y: number, n: number, out: number): void;
  absSumBlocks(x: number, n: number, total: number): number;
  /** out: float64 per block, 8-byte aligned. */
  absSumEachBlock(x: number, blocks: number, out: number): void;

  /** threshold in [1, 2^32 − 1]; all, kept: float64 per block, 8-byte aligned. */
  keptAbsSumEachBlock(x: number, blocks: number, start: number, key: number, threshold: number, all: number, kept: number): void;

  absHistHigh(x: number, n: number, hist: number): void;
  absHistLow(x: number, n: number, high: number, hist: number): void;
  /** lows: count consecutive 65536-bin histograms of bins [first, first + count); returns the count above them. */
  absWindowCount(x: number, n: number, first: number, count: number, lows: number): number;

  /** band: 4 u32 [hiT, hiLeft, loT, loLeft], updated in place. */
  bandMask(x: number, n: number, band: number): void;

  /** threshold in [1, 2^32 − 1]. */
  randomMask(x: number, n: number, start: number, key: number, threshold: number): void;
  /** threshold in [1, 2^32 − 1]; c > 0 and finite: kept x·c, dropped +0. */
  randomMaskScale(x: number, n: number, start: number, key: number, threshold: number, c: number): void;
  /** ptrs: k u32 addresses; counts: k + 2 u32, added to. */
  signCounts(ptrs: number, k: number, n: number, counts: number): void;
  /** threshold in [1, 2^32 − 1]; returns a u32 (an i32 in JavaScript). */
  countKeptRandom(x: number, n: number, start: number, key: number, threshold: number): number;

  /** ptrs: k u32 addresses; weights: k float32; consensus 0 = 'sum', 1 = 'count'. */
  signElect(ptrs: number, weights: number, k: number, n: number, consensus: number, mixed: number, div: number): void;
  /** ptrs: k addresses of δ_i; weights: k float32; normalize 0/1; b: the base unit, becomes the output. */
  consensusMix(ptrs: number, weights: number, k: number, n: number, consensus: number, normalize: number, lambda: number, b: number): void;
  /** thresholds: m float64 (8-byte aligned); inverses: m float32; inverse 0/1; scratch: 5m + 3 × 2048 u32; keepOut: rows·m bytes, or 0. */
  dellaRows(x: number, rows: number, m: number, start: number, key: number, thresholds: number, inverses: number, inverse: number, scratch: number, keepOut: number): void;

  /** ptrs: k addresses of τ_i (k ≥ 1); returns the nonzero count as a u32 (an i32 in JavaScript). */
  populationVariance(ptrs: number, k: number, n: number, v: number): number;
  /** ptrs: k addresses of τ_i, zeroed where mask is ±0. */
  keepNonzero(ptrs: number, k: number, n: number, mask: number): void;
  /** ptrs: k addresses of τ_i; omega: k float32; b: the base, becomes the output. */
  electedWeightedMean(ptrs: number, omega: number, k: number, n: number, b: number): void;
  /** t, floor: float32; returns how many elements have a non-finite a or b (a u32, an i32 in JavaScript). */
  nearswap(a: number, b: number, dst: number, n: number, t: number, floor: number): number;
}

const NAMES: readonly (keyof KernelExports)[] = [
  'heapBase', 'copyF32', 'decodeBf16', 'decodeSubBf16', 'decodeF16', 'decodeF64', 'encodeF32', 'encodeBf16', 'encodeF16', 'encodeF64',
  'countNonFinite16', 'countNonFinite32', 'countNonFinite64',
  'sub', 'add', 'scale', 'axpy', 'scaleTo', 'div', 'dotBlocks', 'gramTwoBlocks', 'absSumBlocks', 'absSumEachBlock', 'keptAbsSumEachBlock', 'absHistHigh', 'absHistLow', 'absWindowCount',
  'bandMask', 'randomMask', 'randomMaskScale', 'signElect', 'consensusMix', 'dellaRows', 'populationVariance', 'keepNonzero', 'electedWeightedMean',
  'nearswap', 'signCounts', 'countKeptRandom',
];

/** Checks that an instance exports every kernel (a stale .wasm from an older build fails here). */
export function asKernelExports(exports: Record<string, unknown>, file: string): KernelExports {
  const missing = NAMES.filter((name) => typeof exports[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(`${file} lacks the kernels ${missing.join(', ')}; rebuild it with npm run build:native`);
  }
  return exports as unknown as KernelExports;
}
