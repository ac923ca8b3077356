// SCE's per-element steps (types.ts: populationVariance, keepNonzero, electedWeightedMean). ptrs
// holds k u32 addresses of the task vectors τ_0..τ_{k-1}, visited in model order; eight elements
// (two vectors) per step, then a scalar tail with the same rules. NaN payloads follow V8's
// JavaScript as in elementwise.ts: in `s + t` the operand that must lose is zeroed where the other
// is NaN (addLanes), `t − μ` and `num / den` keep the first operand's NaN in both.

import { addLanes } from './elementwise';

/** τ_i at byte offset o. */
// @ts-ignore: decorator
@inline
function tauAt(ptrs: usize, i: u32, o: usize): v128 {
  return v128.load(load<usize>(ptrs + (i << 2)) + o);
}

// @ts-ignore: decorator
@inline
function tauOne(ptrs: usize, i: u32, o: usize): f32 {
  return load<f32>(load<usize>(ptrs + (i << 2)) + o);
}

/** a + b with b's NaN when both are NaN (elementwise.ts add1). */
// @ts-ignore: decorator
@inline
function add1(a: f32, b: f32): f32 {
  return b + (b != b ? <f32>0 : a);
}

/** v = ((Σ_i (τ_i − μ)²)·invN for four lanes, μ = (Σ_i τ_i)·invN, sums from +0 in model order. */
// @ts-ignore: decorator
@inline
function varianceLanes(ptrs: usize, k: u32, o: usize, invN: v128): v128 {
  let s = f32x4.splat(0);
  for (let i: u32 = 0; i < k; i++) s = addLanes(s, tauAt(ptrs, i, o));
  // invN = f32(1/k) is finite: at most one operand of the product is NaN.
  const mu = f32x4.mul(s, invN);
  let acc = f32x4.splat(0);
  for (let i: u32 = 0; i < k; i++) {
    const d = f32x4.sub(tauAt(ptrs, i, o), mu);
    acc = addLanes(acc, f32x4.mul(d, d));
  }
  return f32x4.mul(acc, invN);
}

/** v[j] = the population variance of τ_0[j]..τ_{k-1}[j]; returns how many v[j] are nonzero (NaN counts). */
export function populationVariance(ptrs: usize, k: u32, n: usize, v: usize): u32 {
  const invN: f32 = <f32>1 / <f32>k;
  const iv = f32x4.splat(invN);
  const zero = f32x4.splat(0);
  // Comparison masks are −1 where true: subtracting them counts, branch-free.
  let c = i32x4.splat(0);
  let j: usize = 0;
  for (; j + 8 <= n; j += 8) {
    const o = j << 2;
    const v0 = varianceLanes(ptrs, k, o, iv);
    const v1 = varianceLanes(ptrs, k, o + 16, iv);
    v128.store(v + o, v0);
    v128.store(v + o, v1, 16);
    c = i32x4.sub(i32x4.sub(c, f32x4.ne(v0, zero)), f32x4.ne(v1, zero));
  }
  let nonzero = <u32>(i32x4.extract_lane(c, 0) + i32x4.extract_lane(c, 1) + i32x4.extract_lane(c, 2) + i32x4.extract_lane(c, 3));
  for (; j < n; j++) {
    const o = j << 2;
    let s: f32 = 0;
    for (let i: u32 = 0; i < k; i++) s = add1(s, tauOne(ptrs, i, o));
    const mu = s * invN;
    let acc: f32 = 0;
    for (let i: u32 = 0; i < k; i++) {
      const d = tauOne(ptrs, i, o) - mu;
      acc = add1(acc, d * d);
    }
    const vj = acc * invN;
    store<f32>(v + o, vj);
    if (vj != 0) nonzero++;
  }
  return nonzero;
}

/** τ_i[j] = +0 where mask[j] is ±0, for every i (the rest unchanged). */
export function keepNonzero(ptrs: usize, k: u32, n: usize, mask: usize): void {
  const zero = f32x4.splat(0);
  let j: usize = 0;
  for (; j + 8 <= n; j += 8) {
    const o = j << 2;
    // Lanes where mask is ±0 compare equal to 0 (NaN does not): and-not clears them to +0.
    const z0 = f32x4.eq(v128.load(mask + o), zero);
    const z1 = f32x4.eq(v128.load(mask + o, 16), zero);
    for (let i: u32 = 0; i < k; i++) {
      const p = load<usize>(ptrs + (i << 2)) + o;
      v128.store(p, v128.andnot(v128.load(p), z0));
      v128.store(p, v128.andnot(v128.load(p, 16), z1), 16);
    }
  }
  for (; j < n; j++) {
    const o = j << 2;
    if (load<f32>(mask + o) == 0) {
      for (let i: u32 = 0; i < k; i++) store<u32>(load<usize>(ptrs + (i << 2)) + o, 0);
    }
  }
}

/** max(Σ ω_i m_i, 1e-6) as float32 (sce-elementwise's MIN_DIVISOR: the literal rounds to nearest, as Math.fround). */
const MIN_DIVISOR: f32 = 1e-6;

/**
 * b[j] += (Σ ω_i m_i τ_i) / max(Σ ω_i m_i, 1e-6) for four lanes at byte offset o, with the elected
 * sign s = + where Σ τ_i ≥ 0 and m_i = [sign(τ_i) = s] (zeros and NaN never count).
 * Kept: flipping τ's sign bit where s is negative makes "same sign, not zero, not NaN" the
 * comparison `> 0`. Unkept lanes add +0, which leaves num and den bit-exact: both start at +0 and
 * never become −0 (x + y is −0 only when both are −0), and a NaN stays itself.
 */
// @ts-ignore: decorator
@inline
function meanLanes(ptrs: usize, omega: usize, k: u32, o: usize, b: usize): void {
  const zero = f32x4.splat(0);
  // Only the sign of s is used: its NaN payload does not matter, so the plain sum does.
  let s = zero;
  for (let i: u32 = 0; i < k; i++) s = f32x4.add(tauAt(ptrs, i, o), s);
  const flip = v128.andnot(i32x4.splat(-0x80000000), f32x4.ge(s, zero));
  let num = zero;
  let den = zero;
  for (let i: u32 = 0; i < k; i++) {
    const t = tauAt(ptrs, i, o);
    const keep = f32x4.gt(v128.xor(t, flip), zero);
    const w = v128.load32_splat(omega + (i << 2));
    // A kept τ is not NaN: ω·τ has at most one NaN operand, ω. The sums may meet two NaNs (ω NaN).
    num = addLanes(num, v128.and(f32x4.mul(w, t), keep));
    den = addLanes(den, v128.and(w, keep));
  }
  const minD = f32x4.splat(MIN_DIVISOR);
  const q = f32x4.div(num, v128.bitselect(den, minD, f32x4.gt(den, minD)));
  v128.store(b + o, addLanes(v128.load(b + o), q));
}

/** omega: k float32 weights; b: the base, becomes the output. */
export function electedWeightedMean(ptrs: usize, omega: usize, k: u32, n: usize, b: usize): void {
  let j: usize = 0;
  for (; j + 8 <= n; j += 8) {
    const o = j << 2;
    meanLanes(ptrs, omega, k, o, b);
    meanLanes(ptrs, omega, k, o + 16, b);
  }
  for (; j < n; j++) {
    const o = j << 2;
    let s: f32 = 0;
    for (let i: u32 = 0; i < k; i++) s = add1(s, tauOne(ptrs, i, o));
    const positive = s >= 0;
    let num: f32 = 0;
    let den: f32 = 0;
    for (let i: u32 = 0; i < k; i++) {
      const t = tauOne(ptrs, i, o);
      if (positive ? t > 0 : t < 0) {
        const w = load<f32>(omega + (i << 2));
        num = add1(num, w * t);
        den = add1(den, w);
      }
    }
    store<f32>(b + o, add1(load<f32>(b + o), num / (den > MIN_DIVISOR ? den : MIN_DIVISOR)));
  }
}
