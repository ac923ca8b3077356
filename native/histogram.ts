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
