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
  // Most elements miss the selected bucket: test 8 at a time and only scan vectors that hit. The
  // lanes equal to the first hit take one increment by their count (absWindowCount says why).
  for (; i + 8 <= n; i += 8) {
    const o = i << 2;
    const a0 = v128.and(v128.load(x + o), absMask);
    const a1 = v128.and(v128.load(x + o, 16), absMask);
    const h0 = i32x4.eq(i32x4.shr_u(a0, 16), want);
    const h1 = i32x4.eq(i32x4.shr_u(a1, 16), want);
    if (v128.any_true(v128.or(h0, h1))) {
      let hits = i32x4.bitmask(h0) | (i32x4.bitmask(h1) << 4);
      const first = load<u32>(x + o + (<usize>ctz(hits) << 2)) & 0x7fffffff;
      const v = i32x4.splat(<i32>first);
      const same = i32x4.bitmask(i32x4.eq(a0, v)) | (i32x4.bitmask(i32x4.eq(a1, v)) << 4);
      const at = hist + ((first & 0xffff) << 2);
      store<u32>(at, load<u32>(at) + <u32>popcnt(same));
      hits &= ~same;
      while (hits != 0) {
        const p = hist + ((load<u32>(x + o + (<usize>ctz(hits) << 2)) & 0xffff) << 2);
        store<u32>(p, load<u32>(p) + 1);
        hits &= hits - 1;
      }
    }
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
 * Pass 1 when the cuts' bins were predicted (electron/engine/methods/lib/cut-window.ts): for
 * elements whose high bits h = bits(|x|) >>> 16 lie in [first, first + count),
 * lows[(h − first) · 65536 + (bits & 0xffff)] += 1 (lows: count consecutive 65536-bin histograms);
 * returns how many elements lie above the window (h ≥ first + count). No high histogram: the
 * count above is a SIMD compare, and only the few vectors holding a windowed element take the
 * scattered increments.
 */
export function absWindowCount(x: usize, n: usize, first: u32, count: u32, lows: usize): u32 {
  // On the bits of |x| (non-negative as int32, so signed compares order them like the values):
  // above the window is bits > hiT, in it bits > loT and not above.
  const mask = i32x4.splat(0x7fffffff);
  const loT = i32x4.splat(<i32>(first << 16) - 1);
  const hiT = i32x4.splat(<i32>((first + count) << 16) - 1);
  let above0 = i32x4.splat(0);
  let above1 = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) {
    const o = i << 2;
    const a0 = v128.and(v128.load(x + o), mask);
    const a1 = v128.and(v128.load(x + o, 16), mask);
    const a2 = v128.and(v128.load(x + o, 32), mask);
    const a3 = v128.and(v128.load(x + o, 48), mask);
    const up0 = i32x4.gt_s(a0, hiT);
    const up1 = i32x4.gt_s(a1, hiT);
    const up2 = i32x4.gt_s(a2, hiT);
    const up3 = i32x4.gt_s(a3, hiT);
    // Comparison masks are -1 where true: subtracting counts up.
    above0 = i32x4.sub(above0, i32x4.add(up0, up1));
    above1 = i32x4.sub(above1, i32x4.add(up2, up3));
    const in0 = v128.andnot(i32x4.gt_s(a0, loT), up0);
    const in1 = v128.andnot(i32x4.gt_s(a1, loT), up1);
    const in2 = v128.andnot(i32x4.gt_s(a2, loT), up2);
    const in3 = v128.andnot(i32x4.gt_s(a3, loT), up3);
    if (v128.any_true(v128.or(v128.or(in0, in1), v128.or(in2, in3)))) {
      // Only the lanes inside the window take a scattered increment. The lanes equal to the first
      // one take a single increment by their count: task vectors of bf16 fine-tunes take few distinct
      // values (k ulps of the base), and increments of one counter wait on each other (on
      // engine-bench models with ±2-ulp deltas this kernel went from 16% to 6% of a TIES merge's CPU).
      let hits = i32x4.bitmask(in0) | (i32x4.bitmask(in1) << 4) | (i32x4.bitmask(in2) << 8) | (i32x4.bitmask(in3) << 12);
      const first0 = load<u32>(x + o + (<usize>ctz(hits) << 2)) & 0x7fffffff;
      const v = i32x4.splat(<i32>first0);
      const same = i32x4.bitmask(i32x4.eq(a0, v)) | (i32x4.bitmask(i32x4.eq(a1, v)) << 4) | (i32x4.bitmask(i32x4.eq(a2, v)) << 8) | (i32x4.bitmask(i32x4.eq(a3, v)) << 12);
      const at = lows + (<usize>((((first0 >>> 16) - first) << 16) | (first0 & 0xffff)) << 2);
      store<u32>(at, load<u32>(at) + <u32>popcnt(same));
      hits &= ~same;
      while (hits != 0) {
        const j = <usize>ctz(hits);
        const a = load<u32>(x + o + (j << 2)) & 0x7fffffff;
        bump(lows + (<usize>((((a >>> 16) - first) << 16) | (a & 0xffff)) << 2));
        hits &= hits - 1;
      }
    }
  }
  const both = i32x4.add(above0, above1);
  let above: u32 = <u32>(i32x4.extract_lane(both, 0) + i32x4.extract_lane(both, 1) + i32x4.extract_lane(both, 2) + i32x4.extract_lane(both, 3));
  for (; i < n; i++) {
    const a = load<u32>(x + (i << 2)) & 0x7fffffff;
    const w = (a >>> 16) - first;
    if (w < count) bump(lows + (<usize>((w << 16) | (a & 0xffff)) << 2));
    else if (a >>> 16 >= first + count) above++;
  }
  return above;
}
