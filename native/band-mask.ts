// A band of magnitude ranks applied in place (types.ts, bandMask). band = [hiT, hiLeft, loT, loLeft]:
// int32 thresholds on bits(|x|) and unsigned tie budgets, consumed in flat order and written back.
// Vectors with no element equal to a threshold need no budget: they are decided four at a time by
// signed comparisons; a vector holding a tie goes through the scalar rule in order.

export function bandMask(x: usize, n: usize, band: usize): void {
  const hiT = load<i32>(band);
  let hiLeft = load<u32>(band, 4);
  const loT = load<i32>(band, 8);
  let loLeft = load<u32>(band, 12);
  const absMask = i32x4.splat(0x7fffffff);
  const vh = i32x4.splat(hiT);
  const vl = i32x4.splat(loT);
  let i: usize = 0;
  while (i < n) {
    let end = n;
    if (i + 4 <= n) {
      const p = x + (i << 2);
      const v = v128.load(p);
      const a = v128.and(v, absMask);
      if (!v128.any_true(v128.or(i32x4.eq(a, vh), i32x4.eq(a, vl)))) {
        v128.store(p, v128.and(v, v128.andnot(i32x4.gt_s(a, vh), i32x4.gt_s(a, vl))));
        i += 4;
        continue;
      }
      end = i + 4;
    }
    for (; i < end; i++) {
      const p = x + (i << 2);
      const a = <i32>(load<u32>(p) & 0x7fffffff);
      let inHi = a > hiT;
      if (a == hiT && hiLeft > 0) {
        inHi = true;
        hiLeft--;
      }
      let inLo = a > loT;
      if (a == loT && loLeft > 0) {
        inLo = true;
        loLeft--;
      }
      if (!inHi || inLo) store<u32>(p, 0);
    }
  }
  store<u32>(band, hiLeft, 4);
  store<u32>(band, loLeft, 12);
}
