/**
 * Histogram copies in the narrowest unsigned type that holds their largest count. A statistics
 * pass hands its histograms (65536 bins each, several per model) to the main thread as copies,
 * and on these machines memory touched for the first time is slow (design.md): most bins of a
 * range's low histograms hold a handful of elements, so a Uint8Array copy touches a quarter of
 * the pages a Uint32Array would, in the worker and again where the message is received.
 */

/** A histogram as it crosses threads: any unsigned integer array. */
export type Counts = Uint8Array | Uint16Array | Uint32Array;

/** A copy of h[start, end) in the narrowest of Uint8/16/32Array that holds its largest count. */
export function compactCounts(h: Uint32Array, start = 0, end = h.length): Counts {
  let max = 0;
  for (let i = start; i < end; i++) if (h[i] > max) max = h[i];
  const out = max <= 0xff ? new Uint8Array(end - start) : max <= 0xffff ? new Uint16Array(end - start) : new Uint32Array(end - start);
  // TypedArray.set converts element by element; every value fits the target type.
  out.set(h.subarray(start, end));
  return out;
}
