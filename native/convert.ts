// Dtype conversion kernels: stored float dtype <-> float32, bit-identical to ts-backend.ts and
// float-bits.ts. Pointers are byte addresses in linear memory; n counts elements.
// Every loop runs SIMD over full vectors and finishes the tail with the same rule in scalar form.
// The encode kernels also count the NaN and ±Inf values they write (after rounding: 70000 is Inf
// in half, finite in bfloat16) and store [NaN count, Inf count] as two u32 at `counts`. Their loops
// only keep the largest |bits| written (an and and a max per vector, see non-finite.ts); when that
// reached Inf's (rare in weights) the values written are counted by non-finite.ts's scan, in cache.

import { ABS16, ABS32, countNonFinite16, countNonFinite32, countNonFinite64 } from './non-finite';

const BF16_EXP: i32 = 0x7f80;
const HALF_EXP: i32 = 0x7c00;

/** F32 -> F32: a byte copy, NaN payloads included (src and dst may overlap). */
export function copyF32(src: usize, dst: usize, n: usize): void {
  memory.copy(dst, src, n << 2);
}

/** The F32 encode: copyF32's bits for disjoint src and dst. */
export function encodeF32(src: usize, dst: usize, n: usize, counts: usize): void {
  // A vector loop rather than memory.copy, to see the values on the way.
  const abs = v128.load(ABS32);
  let top = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) {
    const s = src + (i << 2);
    const d = dst + (i << 2);
    const a = v128.load(s);
    const b = v128.load(s, 16);
    const c = v128.load(s, 32);
    const e = v128.load(s, 48);
    v128.store(d, a);
    v128.store(d, b, 16);
    v128.store(d, c, 32);
    v128.store(d, e, 48);
    top = i32x4.max_s(top, i32x4.max_s(v128.and(a, abs), v128.and(b, abs)));
    top = i32x4.max_s(top, i32x4.max_s(v128.and(c, abs), v128.and(e, abs)));
  }
  let any = v128.any_true(i32x4.gt_s(top, i32x4.splat(0x7f7fffff)));
  for (; i < n; i++) {
    const u = load<u32>(src + (i << 2));
    store<u32>(dst + (i << 2), u);
    any |= (u & 0x7f800000) == 0x7f800000;
  }
  if (any) countNonFinite32(dst, n, counts);
  else store<u64>(counts, 0);
}

/** bfloat16 -> float32: the 16 bits become the high half of the float32. */
export function decodeBf16(src: usize, dst: usize, n: usize): void {
  const zero = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) {
    const s = src + (i << 1);
    const d = dst + (i << 2);
    const a = v128.load(s);
    const b = v128.load(s, 16);
    // Interleaving zero words below each bf16 word is exactly `bits << 16` per lane.
    v128.store(d, i16x8.shuffle(zero, a, 0, 8, 1, 9, 2, 10, 3, 11));
    v128.store(d, i16x8.shuffle(zero, a, 4, 12, 5, 13, 6, 14, 7, 15), 16);
    v128.store(d, i16x8.shuffle(zero, b, 0, 8, 1, 9, 2, 10, 3, 11), 32);
    v128.store(d, i16x8.shuffle(zero, b, 4, 12, 5, 13, 6, 14, 7, 15), 48);
  }
  for (; i < n; i++) store<u32>(dst + (i << 2), (<u32>load<u16>(src + (i << 1))) << 16);
}

/**
 * dst[i] = decode(src[i]) - minus[i] for bfloat16 src: decodeBf16's shuffle, then one float32
 * subtraction (as sub in elementwise.ts: `a - b` keeps a's NaN, so the bits are those of decoding
 * then subtracting). dst and minus are the same buffer or disjoint; src is disjoint from both.
 */
export function decodeSubBf16(src: usize, minus: usize, dst: usize, n: usize): void {
  const zero = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) {
    const s = src + (i << 1);
    const m = minus + (i << 2);
    const d = dst + (i << 2);
    const a = v128.load(s);
    const b = v128.load(s, 16);
    const r0 = f32x4.sub(i16x8.shuffle(zero, a, 0, 8, 1, 9, 2, 10, 3, 11), v128.load(m));
    const r1 = f32x4.sub(i16x8.shuffle(zero, a, 4, 12, 5, 13, 6, 14, 7, 15), v128.load(m, 16));
    const r2 = f32x4.sub(i16x8.shuffle(zero, b, 0, 8, 1, 9, 2, 10, 3, 11), v128.load(m, 32));
    const r3 = f32x4.sub(i16x8.shuffle(zero, b, 4, 12, 5, 13, 6, 14, 7, 15), v128.load(m, 48));
    v128.store(d, r0);
    v128.store(d, r1, 16);
    v128.store(d, r2, 32);
    v128.store(d, r3, 48);
  }
  for (; i < n; i++) {
    const x = reinterpret<f32>((<u32>load<u16>(src + (i << 1))) << 16);
    store<f32>(dst + (i << 2), x - load<f32>(minus + (i << 2)));
  }
}

/** float32 bits -> bfloat16 bits for four lanes (result in the low 16 bits of each lane). */
function bf16Lanes(u: v128): v128 {
  const high = i32x4.shr_u(u, 16);
  const isNan = i32x4.gt_s(v128.and(u, i32x4.splat(0x7fffffff)), i32x4.splat(0x7f800000));
  // Round to nearest even: add 0x7fff plus the lowest kept bit, then drop the low half.
  const rounded = i32x4.shr_u(i32x4.add(i32x4.add(u, i32x4.splat(0x7fff)), v128.and(high, i32x4.splat(1))), 16);
  // A NaN keeps its sign and high payload and becomes quiet.
  const nan = v128.or(high, i32x4.splat(0x40));
  return v128.bitselect(nan, rounded, isNan);
}

function bf16Scalar(u: u32): u32 {
  if ((u & 0x7f800000) == 0x7f800000 && (u & 0x007fffff) != 0) return ((u >>> 16) | 0x0040) & 0xffff;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

/** float32 -> bfloat16, round-to-nearest-even; NaN -> quiet NaN with its sign. */
export function encodeBf16(src: usize, dst: usize, n: usize, counts: usize): void {
  const abs = v128.load(ABS16);
  let top = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) {
    const s = src + (i << 2);
    const d = dst + (i << 1);
    // Lanes are in [0, 0xffff], so the saturating narrow is exact.
    const h = i16x8.narrow_i32x4_u(bf16Lanes(v128.load(s)), bf16Lanes(v128.load(s, 16)));
    const g = i16x8.narrow_i32x4_u(bf16Lanes(v128.load(s, 32)), bf16Lanes(v128.load(s, 48)));
    v128.store(d, h);
    v128.store(d, g, 16);
    top = i16x8.max_s(top, i16x8.max_s(v128.and(h, abs), v128.and(g, abs)));
  }
  for (; i + 8 <= n; i += 8) {
    const s = src + (i << 2);
    const h = i16x8.narrow_i32x4_u(bf16Lanes(v128.load(s)), bf16Lanes(v128.load(s, 16)));
    v128.store(dst + (i << 1), h);
    top = i16x8.max_s(top, v128.and(h, abs));
  }
  let any = v128.any_true(i16x8.gt_s(top, i16x8.splat(<i16>(BF16_EXP - 1))));
  for (; i < n; i++) {
    const h = <i32>bf16Scalar(load<u32>(src + (i << 2)));
    store<u16>(dst + (i << 1), <u16>h);
    any |= (h & BF16_EXP) == BF16_EXP;
  }
  if (any) countNonFinite16(dst, n, BF16_EXP, counts);
  else store<u64>(counts, 0);
}

// 2^-24: the value of the lowest bit of a half subnormal.
const HALF_SUBNORMAL_STEP: f32 = 5.960464477539063e-8;

// No float32 subnormal ever enters an arithmetic operation here: x86 handles those in microcode,
// about a hundred times slower, and half subnormals are common in weights.

/** Four IEEE half values (low 16 bits of each lane) -> float32 bits. */
function halfToSingleLanes(h: v128): v128 {
  const sign = i32x4.shl(v128.and(h, i32x4.splat(0x8000)), 16);
  const em = v128.and(h, i32x4.splat(0x7fff));
  // Normals: rebias the exponent (127 - 15) in the integer domain, exactly.
  const normal = i32x4.add(i32x4.shl(em, 13), i32x4.splat(0x38000000));
  // Subnormals and zero: mantissa * 2^-24, exact (an integer below 2^10 times a power of two).
  const small = f32x4.mul(f32x4.convert_i32x4_s(em), f32x4.splat(HALF_SUBNORMAL_STEP));
  const isSmall = i32x4.lt_s(em, i32x4.splat(0x400));
  const finite = v128.or(v128.bitselect(small, normal, isSmall), sign);
  const isInf = i32x4.eq(em, i32x4.splat(0x7c00));
  const isNan = i32x4.gt_s(em, i32x4.splat(0x7c00));
  const inf = v128.or(sign, i32x4.splat(0x7f800000));
  // ts-backend's table holds JavaScript's NaN for every half NaN: 0x7fc00000, sign and payload dropped.
  return v128.bitselect(i32x4.splat(0x7fc00000), v128.bitselect(inf, finite, isInf), isNan);
}

function halfToSingleScalar(h: u32): u32 {
  const sign = (h & 0x8000) << 16;
  const em = h & 0x7fff;
  if (em > 0x7c00) return 0x7fc00000;
  if (em == 0x7c00) return sign | 0x7f800000;
  if (em < 0x400) return reinterpret<u32>(<f32>em * HALF_SUBNORMAL_STEP) | sign;
  return ((em << 13) + 0x38000000) | sign;
}

/** Four finite halves (|h| in em, sign bits already placed at bit 31) -> float32 bits. */
function finiteHalfToSingleLanes(em: v128, sign: v128): v128 {
  const normal = i32x4.add(i32x4.shl(em, 13), i32x4.splat(0x38000000));
  const small = f32x4.mul(f32x4.convert_i32x4_s(em), f32x4.splat(HALF_SUBNORMAL_STEP));
  return v128.or(v128.bitselect(small, normal, i32x4.lt_s(em, i32x4.splat(0x400))), sign);
}

/** IEEE half -> float32 (exact). */
export function decodeF16(src: usize, dst: usize, n: usize): void {
  const zero = i32x4.splat(0);
  const expMask = i16x8.splat(0x7c00);
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const v = v128.load(src + (i << 1));
    const d = dst + (i << 2);
    if (v128.any_true(i16x8.eq(v128.and(v, expMask), expMask))) {
      // Some lane is inf or NaN (rare): the general path.
      v128.store(d, halfToSingleLanes(i32x4.extend_low_i16x8_u(v)));
      v128.store(d, halfToSingleLanes(i32x4.extend_high_i16x8_u(v)), 16);
      continue;
    }
    // Interleaving zero words below the sign words puts each sign at bit 31 of its lane.
    const s = v128.and(v, i16x8.splat(-0x8000));
    const em = v128.and(v, i16x8.splat(0x7fff));
    v128.store(d, finiteHalfToSingleLanes(i32x4.extend_low_i16x8_u(em), i16x8.shuffle(zero, s, 0, 8, 1, 9, 2, 10, 3, 11)));
    v128.store(d, finiteHalfToSingleLanes(i32x4.extend_high_i16x8_u(em), i16x8.shuffle(zero, s, 4, 12, 5, 13, 6, 14, 7, 15)), 16);
  }
  for (; i < n; i++) store<u32>(dst + (i << 2), halfToSingleScalar(<u32>load<u16>(src + (i << 1))));
}

/** |x| bits (a) of four float32 below 65520 -> IEEE half bits without sign. */
function finiteSingleToHalfLanes(a: v128): v128 {
  // Normal halves (exponent >= 113): rebias, then round the dropped 13 bits to nearest even;
  // a carry out of the mantissa correctly bumps the exponent (up to inf).
  const normal = i32x4.shr_u(
    i32x4.add(i32x4.add(a, i32x4.splat(0xfff - 0x38000000)), v128.and(i32x4.shr_u(a, 13), i32x4.splat(1))),
    13,
  );
  // Subnormal halves: adding 0.5 (ulp 2^-24, the half subnormal step) rounds |x| to a multiple of
  // 2^-24 with the hardware's round-to-nearest-even; the low bits are then the half's bits (2^-14
  // itself comes out as 0x400, the smallest normal, as it should). Below 2^-25 this gives 0.
  // float32 subnormals (all below 2^-25, so 0 here) are zeroed first: they must not enter the add.
  const a0 = v128.and(a, i32x4.gt_s(a, i32x4.splat(0x007fffff)));
  const sub = i32x4.sub(f32x4.add(a0, f32x4.splat(0.5)), i32x4.splat(0x3f000000));
  return v128.bitselect(normal, sub, i32x4.gt_s(a, i32x4.splat(0x387fffff)));
}

/** float32 bits -> IEEE half bits for four lanes, the rules of f16FromF32Bits. */
function singleToHalfLanes(u: v128): v128 {
  const sign = v128.and(i32x4.shr_u(u, 16), i32x4.splat(0x8000));
  const a = v128.and(u, i32x4.splat(0x7fffffff));
  // Inf stays inf; NaN becomes a quiet NaN keeping the top 10 payload bits.
  const nan = v128.or(i32x4.splat(0x7e00), v128.and(i32x4.shr_u(a, 13), i32x4.splat(0x3ff)));
  const isNan = i32x4.gt_s(a, i32x4.splat(0x7f800000));
  // |x| >= 65520 (float32 exponent >= 143, or rounding up past 65504): inf (inf itself included).
  const isBig = i32x4.gt_s(a, i32x4.splat(0x477fffff));
  let r = v128.bitselect(i32x4.splat(0x7c00), finiteSingleToHalfLanes(a), isBig);
  r = v128.bitselect(nan, r, isNan);
  return v128.or(r, sign);
}

function singleToHalfScalar(u: u32): u32 {
  const sign = (u >>> 16) & 0x8000;
  const a = u & 0x7fffffff;
  if (a > 0x7f800000) return sign | 0x7e00 | ((a >>> 13) & 0x3ff);
  if (a > 0x477fffff) return sign | 0x7c00;
  if (a > 0x387fffff) return sign | ((a + (0xfff - 0x38000000) + ((a >>> 13) & 1)) >>> 13);
  if (a < 0x00800000) return sign;
  return sign | (reinterpret<u32>(reinterpret<f32>(a) + <f32>0.5) - 0x3f000000);
}

/** float32 -> IEEE half, round-to-nearest-even with subnormals; NaN -> quiet NaN. */
export function encodeF16(src: usize, dst: usize, n: usize, counts: usize): void {
  let bad = false;
  let i: usize = 0;
  const absMask = i32x4.splat(0x7fffffff);
  // |x| >= 65520 (0x477ff000) is written as Inf or NaN: such vectors take the general path, which
  // says so (the finite path alone would also round [65520, 65536) up to Inf, without a word).
  const big = i32x4.splat(0x477fefff);
  for (; i + 8 <= n; i += 8) {
    const s = src + (i << 2);
    const u0 = v128.load(s);
    const u1 = v128.load(s, 16);
    const a0 = v128.and(u0, absMask);
    const a1 = v128.and(u1, absMask);
    let h: v128;
    if (v128.any_true(v128.or(i32x4.gt_s(a0, big), i32x4.gt_s(a1, big)))) {
      // Some lane overflows, is inf or NaN (rare): the general path. It writes a NaN or an Inf
      // for every such lane, and no other path writes one.
      h = i16x8.narrow_i32x4_u(singleToHalfLanes(u0), singleToHalfLanes(u1));
      bad = true;
    } else {
      // The sign is bit 15 of each half: put it there after narrowing the unsigned values.
      const signs = v128.and(i16x8.narrow_i32x4_s(i32x4.shr_s(u0, 16), i32x4.shr_s(u1, 16)), i16x8.splat(-0x8000));
      h = v128.or(i16x8.narrow_i32x4_u(finiteSingleToHalfLanes(a0), finiteSingleToHalfLanes(a1)), signs);
    }
    v128.store(dst + (i << 1), h);
  }
  for (; i < n; i++) {
    const h = <i32>singleToHalfScalar(load<u32>(src + (i << 2)));
    store<u16>(dst + (i << 1), <u16>h);
    bad |= (h & HALF_EXP) == HALF_EXP;
  }
  if (bad) countNonFinite16(dst, n, HALF_EXP, counts);
  else store<u64>(counts, 0);
}

/** float64 -> float32, rounded to nearest even (as a store into a Float32Array). */
export function decodeF64(src: usize, dst: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const s = src + (i << 3);
    const lo = f32x4.demote_f64x2_zero(v128.load(s));
    const hi = f32x4.demote_f64x2_zero(v128.load(s, 16));
    v128.store(dst + (i << 2), i64x2.shuffle(lo, hi, 0, 2));
  }
  for (; i < n; i++) store<f32>(dst + (i << 2), <f32>load<f64>(src + (i << 3)));
}

/** float32 -> float64 (exact: a NaN stays a NaN, an Inf an Inf, so they are counted on the input). */
export function encodeF64(src: usize, dst: usize, n: usize, counts: usize): void {
  const abs = v128.load(ABS32);
  let top = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const s = src + (i << 2);
    const d = dst + (i << 3);
    const v = v128.load(s);
    const w = v128.load(s, 16);
    v128.store(d, f64x2.promote_low_f32x4(v));
    v128.store(d, f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 1)), 16);
    v128.store(d, f64x2.promote_low_f32x4(w), 32);
    v128.store(d, f64x2.promote_low_f32x4(i64x2.shuffle(w, w, 1, 1)), 48);
    top = i32x4.max_s(top, i32x4.max_s(v128.and(v, abs), v128.and(w, abs)));
  }
  let any = v128.any_true(i32x4.gt_s(top, i32x4.splat(0x7f7fffff)));
  for (; i < n; i++) {
    const u = load<u32>(src + (i << 2));
    store<f64>(dst + (i << 3), <f64>reinterpret<f32>(u));
    any |= (u & 0x7f800000) == 0x7f800000;
  }
  if (any) countNonFinite64(dst, n, counts);
  else store<u64>(counts, 0);
}
