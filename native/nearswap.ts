// nearswap's elementwise step (types.ts: nearswap; electron/engine/methods/interpolation/nearswap.ts
// is the reference): d = max(|a − b|, floor), w = min(max(t / d, 0), 1), out = w·b + (1 − w)·a,
// one float32 rounding per operation, four lanes per step, then a scalar tail.
//
// Only lanes whose a and b are both finite are the kernel's: the rest are counted and left to the
// caller, which runs the reference on them. With finite inputs no NaN can arise (t is finite and
// d ≥ floor > 0; an overflowing a − b gives d = Inf and w = 0), so max and min see no NaN and no
// −0 against +0 that could order differently, and every step is a plain IEEE operation with one
// answer. A NaN's payload out of max or min is not specified alike by JavaScript and WebAssembly,
// which is why non-finite lanes are not computed here.

/** Returns how many of the n elements have a non-finite a or b (their outputs are unspecified). */
export function nearswap(a: usize, b: usize, dst: usize, n: usize, t: f32, floor: f32): u32 {
  const tv = f32x4.splat(t);
  const floorv = f32x4.splat(floor);
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const inf = f32x4.splat(Infinity);
  let skipped: u32 = 0;
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const o = i << 2;
    const x = v128.load(a + o);
    const y = v128.load(b + o);
    const finite = v128.and(f32x4.lt(f32x4.abs(x), inf), f32x4.lt(f32x4.abs(y), inf));
    skipped += <u32>popcnt(i32x4.bitmask(v128.not(finite)));
    const d = f32x4.max(f32x4.abs(f32x4.sub(x, y)), floorv);
    const w = f32x4.min(f32x4.max(f32x4.div(tv, d), zero), one);
    v128.store(dst + o, f32x4.add(f32x4.mul(w, y), f32x4.mul(f32x4.sub(one, w), x)));
  }
  for (; i < n; i++) {
    const o = i << 2;
    const x = load<f32>(a + o);
    const y = load<f32>(b + o);
    if (!(Mathf.abs(x) < Infinity && Mathf.abs(y) < Infinity)) {
      skipped++;
      continue;
    }
    const d = max<f32>(Mathf.abs(x - y), floor);
    const w = min<f32>(max<f32>(t / d, 0), 1);
    store<f32>(dst + o, w * y + (1 - w) * x);
  }
  return skipped;
}
