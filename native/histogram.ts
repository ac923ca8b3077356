// Radix-select histograms over the bits of |x| (sign bit cleared). hist is 65536 u32 bins.

/** hist[bits(|x[i]|) >>> 16] += 1 */
export function absHistHigh(x: usize, n: usize, hist: usize): void {
  // Scatter increments do not vectorise in WebAssembly; SIMD only computes four byte offsets at a time.
  const mask = i32x4.splat(0x7fffffff);
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const off = i32x4.shl(i32x4.shr_u(v128.and(v128.load(x + (i << 2)), mask), 16), 2);
    bump(hist + <usize>i32x4.extract_lane(off, 0));
    bump(hist + <usize>i32x4.extract_lane(off, 1));
    bump(hist + <usize>i32x4.extract_lane(off, 2));
    bump(hist + <usize>i32x4.extract_lane(off, 3));
  }
  for (; i < n; i++) bump(hist + (((load<u32>(x + (i << 2)) & 0x7fffffff) >>> 16) << 2));
}

function bump(p: usize): void {
  store<u32>(p, load<u32>(p) + 1);
}

/** For elements whose |x| bits have high 16 bits == high: hist[bits & 0xffff] += 1. */
export function absHistLow(x: usize, n: usize, high: u32, hist: usize): void {
  const absMask = i32x4.splat(0x7fffffff);
  const want = i32x4.splat(high);
  let i: usize = 0;
  // Most elements miss the selected bucket: test 8 at a time and only scan vectors that hit.
  for (; i + 8 <= n; i += 8) {
    const o = i << 2;
    const h0 = i32x4.eq(i32x4.shr_u(v128.and(v128.load(x + o), absMask), 16), want);
    const h1 = i32x4.eq(i32x4.shr_u(v128.and(v128.load(x + o, 16), absMask), 16), want);
    if (v128.any_true(v128.or(h0, h1))) lowScalar(x + o, 8, high, hist);
  }
  lowScalar(x + (i << 2), n - i, high, hist);
}

function lowScalar(x: usize, n: usize, high: u32, hist: usize): void {
  for (let i: usize = 0; i < n; i++) {
    const a = load<u32>(x + (i << 2)) & 0x7fffffff;
    if (a >>> 16 == high) {
      const p = hist + ((a & 0xffff) << 2);
      store<u32>(p, load<u32>(p) + 1);
    }
  }
}

/**
 * Pass 1 with a window of low histograms, each element counted once: for elements whose high bits
 * h = bits(|x|) >>> 16 lie in [first, first + count), lows[(h − first) · 65536 + (bits & 0xffff)]
 * += 1 (lows: count consecutive 65536-bin histograms); for the others hist[h] += 1 (no hist when
 * hist is 0). The high histogram of every element is hist plus each window histogram's total in
 * its bin. One sweep thus both locates a cut's bin and refines it when the bin was predicted.
 */
export function absHistWindow(x: usize, n: usize, hist: usize, first: u32, count: u32, lows: usize): void {
  if (hist == 0) {
    windowOnly(x, n, first, count, lows);
    return;
  }
  const mask = i32x4.splat(0x7fffffff);
  const lowMask = i32x4.splat(0xffff);
  const lo = i32x4.splat(first);
  const span = i32x4.splat(count);
  // Byte offset from hist to lows, modulo 2^32 (addresses wrap like the offsets added to them).
  const toLows = i32x4.splat(<i32>(lows - hist));
  let i: usize = 0;
  // Branch-free: SIMD picks, per lane, the element's bin in hist or in the window, then one
  // scattered increment per element as in absHistHigh.
  for (; i + 4 <= n; i += 4) {
    const a = v128.and(v128.load(x + (i << 2)), mask);
    const h = i32x4.shr_u(a, 16);
    const w = i32x4.sub(h, lo);
    const inWindow = i32x4.lt_u(w, span);
    const inLows = i32x4.add(i32x4.shl(v128.or(i32x4.shl(w, 16), v128.and(a, lowMask)), 2), toLows);
    const off = v128.bitselect(inLows, i32x4.shl(h, 2), inWindow);
    bump(hist + <usize>i32x4.extract_lane(off, 0));
    bump(hist + <usize>i32x4.extract_lane(off, 1));
    bump(hist + <usize>i32x4.extract_lane(off, 2));
    bump(hist + <usize>i32x4.extract_lane(off, 3));
  }
  for (; i < n; i++) {
    const a = load<u32>(x + (i << 2)) & 0x7fffffff;
    const w = (a >>> 16) - first;
    if (w < count) bump(lows + (<usize>((w << 16) | (a & 0xffff)) << 2));
    else bump(hist + (<usize>(a >>> 16) << 2));
  }
}

/** The window part of absHistWindow alone. */
function windowOnly(x: usize, n: usize, first: u32, count: u32, lows: usize): void {
  const mask = i32x4.splat(0x7fffffff);
  const lo = i32x4.splat(first);
  const span = i32x4.splat(count);
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const h = i32x4.shr_u(v128.and(v128.load(x + (i << 2)), mask), 16);
    if (v128.any_true(i32x4.lt_u(i32x4.sub(h, lo), span))) windowScalar(x + (i << 2), 4, first, count, lows);
  }
  windowScalar(x + (i << 2), n - i, first, count, lows);
}

function windowScalar(x: usize, n: usize, first: u32, count: u32, lows: usize): void {
  for (let i: usize = 0; i < n; i++) {
    const a = load<u32>(x + (i << 2)) & 0x7fffffff;
    const w = (a >>> 16) - first;
    if (w < count) bump(lows + (<usize>((w << 16) | (a & 0xffff)) << 2));
  }
}
