// Counting non-finite values (NaN, ±Inf) among stored floats: the scans count a tensor copied
// without conversion, and the values an encode (convert.ts) wrote when it saw one. Every kernel that
// counts stores [NaN count, Inf count] as two u32 at `counts` (bytes 0 and 4).
// A value is non-finite when its exponent bits are all ones, that is when its bits without the sign
// are at least those of Inf (0x7f800000 float32, 0x7f80 bfloat16, 0x7c00 half): Inf when equal, NaN
// above. So a pass first keeps the largest of those (an and and a max per vector, no branch: a
// compare and a branch per vector cost V8's loop unrolling), and counts lanes only when it reached
// Inf's (rare in weights).

// Vector constants loaded from static data before a loop stay in a register (README.md).
export const ABS32: usize = memory.data<u32>([0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff]);
export const ABS16: usize = memory.data<u16>([0x7fff, 0x7fff, 0x7fff, 0x7fff, 0x7fff, 0x7fff, 0x7fff, 0x7fff]);

/** NaN lanes among eight 16-bit floats whose all-ones exponent is `exp` (0x7f80 bfloat16, 0x7c00 half). */
// @ts-ignore: decorator
@inline
export function nanLanes16(h: v128, exp: i32): u32 {
  return <u32>popcnt(i16x8.bitmask(i16x8.gt_s(v128.and(h, i16x8.splat(0x7fff)), i16x8.splat(<i16>exp))));
}

/** ±Inf lanes among eight 16-bit floats whose all-ones exponent is `exp`. */
// @ts-ignore: decorator
@inline
export function infLanes16(h: v128, exp: i32): u32 {
  return <u32>popcnt(i16x8.bitmask(i16x8.eq(v128.and(h, i16x8.splat(0x7fff)), i16x8.splat(<i16>exp))));
}

/** NaN lanes among four float32 bit patterns. */
// @ts-ignore: decorator
@inline
export function nanLanes32(u: v128): u32 {
  return <u32>popcnt(i32x4.bitmask(i32x4.gt_s(v128.and(u, i32x4.splat(0x7fffffff)), i32x4.splat(0x7f800000))));
}

/** ±Inf lanes among four float32 bit patterns. */
// @ts-ignore: decorator
@inline
export function infLanes32(u: v128): u32 {
  return <u32>popcnt(i32x4.bitmask(i32x4.eq(v128.and(u, i32x4.splat(0x7fffffff)), i32x4.splat(0x7f800000))));
}

/** Counts among n 16-bit floats at src (exp: 0x7f80 bfloat16, 0x7c00 half). */
export function countNonFinite16(src: usize, n: usize, exp: i32, counts: usize): void {
  const abs = v128.load(ABS16);
  let top = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) {
    const s = src + (i << 1);
    top = i16x8.max_s(top, i16x8.max_s(v128.and(v128.load(s), abs), v128.and(v128.load(s, 16), abs)));
  }
  let any = v128.any_true(i16x8.gt_s(top, i16x8.splat(<i16>(exp - 1))));
  for (let j = i; j < n; j++) any |= (<i32>load<u16>(src + (j << 1)) & exp) == exp;
  if (!any) {
    store<u64>(counts, 0);
    return;
  }
  let nan: u32 = 0;
  let inf: u32 = 0;
  for (i = 0; i + 8 <= n; i += 8) {
    const h = v128.load(src + (i << 1));
    nan += nanLanes16(h, exp);
    inf += infLanes16(h, exp);
  }
  for (; i < n; i++) {
    const h = <i32>load<u16>(src + (i << 1)) & 0x7fff;
    if (h == exp) inf++;
    else if (h > exp) nan++;
  }
  store<u32>(counts, nan);
  store<u32>(counts, inf, 4);
}

/** Counts among n float32 at src. */
export function countNonFinite32(src: usize, n: usize, counts: usize): void {
  const abs = v128.load(ABS32);
  let top = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) {
    const s = src + (i << 2);
    top = i32x4.max_s(top, v128.and(v128.load(s), abs));
    top = i32x4.max_s(top, v128.and(v128.load(s, 16), abs));
    top = i32x4.max_s(top, v128.and(v128.load(s, 32), abs));
    top = i32x4.max_s(top, v128.and(v128.load(s, 48), abs));
  }
  let any = v128.any_true(i32x4.gt_s(top, i32x4.splat(0x7f7fffff)));
  for (let j = i; j < n; j++) any |= (load<u32>(src + (j << 2)) & 0x7f800000) == 0x7f800000;
  if (!any) {
    store<u64>(counts, 0);
    return;
  }
  let nan: u32 = 0;
  let inf: u32 = 0;
  for (i = 0; i + 4 <= n; i += 4) {
    const a = v128.load(src + (i << 2));
    nan += nanLanes32(a);
    inf += infLanes32(a);
  }
  for (; i < n; i++) {
    const u = load<u32>(src + (i << 2)) & 0x7fffffff;
    if (u == 0x7f800000) inf++;
    else if (u > 0x7f800000) nan++;
  }
  store<u32>(counts, nan);
  store<u32>(counts, inf, 4);
}

/** Counts among n float64 at src (no i64x2.max: a compare and a branch per two vectors). */
export function countNonFinite64(src: usize, n: usize, counts: usize): void {
  const e = i64x2.splat(0x7ff0000000000000);
  const abs = i64x2.splat(0x7fffffffffffffff);
  let nan: u32 = 0;
  let inf: u32 = 0;
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const s = src + (i << 3);
    const a = v128.and(v128.load(s), abs);
    const b = v128.and(v128.load(s, 16), abs);
    if (v128.any_true(v128.or(i64x2.eq(v128.and(a, e), e), i64x2.eq(v128.and(b, e), e)))) {
      nan += <u32>popcnt(i64x2.bitmask(i64x2.gt_s(a, e))) + <u32>popcnt(i64x2.bitmask(i64x2.gt_s(b, e)));
      inf += <u32>popcnt(i64x2.bitmask(i64x2.eq(a, e))) + <u32>popcnt(i64x2.bitmask(i64x2.eq(b, e)));
    }
  }
  for (; i < n; i++) {
    const u = load<u64>(src + (i << 3)) & 0x7fffffffffffffff;
    if (u == 0x7ff0000000000000) inf++;
    else if (u > 0x7ff0000000000000) nan++;
  }
  store<u32>(counts, nan);
  store<u32>(counts, inf, 4);
}
