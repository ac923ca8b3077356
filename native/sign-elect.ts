// TIES sign election and disjoint sum (types.ts, signElect). ptrs holds k u32 addresses of the
// weighted task vectors wd[0..k-1]; weights holds k float32 weights. Eight elements (two vectors)
// per step, the models visited in order. NaN payloads follow V8's JavaScript as in elementwise.ts;
// only the weight sum can meet two NaNs (task values that are NaN are never kept).

import { addLanes, mulLanes } from './elementwise';

/** consensus: 0 = 'sum', 1 = 'count'. */
export function signElect(ptrs: usize, weights: usize, k: u32, n: usize, consensus: u32, mixed: usize, div: usize): void {
  const done = consensus == 0 ? electBySum(ptrs, weights, k, n, mixed, div) : electByCount(ptrs, weights, k, n, mixed, div);
  for (let j = done; j < n; j++) signElectOne(ptrs, weights, k, j << 2, consensus, mixed, div);
}

/** Whole groups of 8 with s = Σ wd_i (float32, model order), positive where s >= 0; returns elements done. */
function electBySum(ptrs: usize, weights: usize, k: u32, n: usize, mixed: usize, div: usize): usize {
  const zero = f32x4.splat(0);
  let j: usize = 0;
  for (; j + 8 <= n; j += 8) {
    const o = j << 2;
    let s0 = zero;
    let s1 = zero;
    for (let i: u32 = 0; i < k; i++) {
      const p = load<usize>(ptrs + (i << 2)) + o;
      s0 = f32x4.add(v128.load(p), s0);
      s1 = f32x4.add(v128.load(p, 16), s1);
    }
    disjointSum(ptrs, weights, k, o, f32x4.ge(s0, zero), f32x4.ge(s1, zero), mixed, div);
  }
  return j;
}

/** Whole groups of 8 with positive where #(wd_i > 0) >= #(wd_i < 0); returns elements done. */
function electByCount(ptrs: usize, weights: usize, k: u32, n: usize, mixed: usize, div: usize): usize {
  const zero = f32x4.splat(0);
  let j: usize = 0;
  for (; j + 8 <= n; j += 8) {
    const o = j << 2;
    let c0 = i32x4.splat(0);
    let c1 = i32x4.splat(0);
    for (let i: u32 = 0; i < k; i++) {
      const p = load<usize>(ptrs + (i << 2)) + o;
      const v0 = v128.load(p);
      const v1 = v128.load(p, 16);
      // Comparison masks are -1 where true: subtracting counts up, adding counts down.
      c0 = i32x4.add(i32x4.sub(c0, f32x4.gt(v0, zero)), f32x4.lt(v0, zero));
      c1 = i32x4.add(i32x4.sub(c1, f32x4.gt(v1, zero)), f32x4.lt(v1, zero));
    }
    disjointSum(ptrs, weights, k, o, i32x4.ge_s(c0, i32x4.splat(0)), i32x4.ge_s(c1, i32x4.splat(0)), mixed, div);
  }
  return j;
}

/**
 * mixed = Σ wd_i where sign(wd_i) is the elected sign; div = Σ w_i over the same, 0 -> 1.
 * keep_i: flipping the sign bit of wd_i when the elected sign is negative makes "same sign, not
 * zero, not NaN" the float comparison `> 0`. Unkept lanes add +0, which leaves m and d bit-exact:
 * both start at +0 and never become -0 (x + y is -0 only when both are -0), and a NaN stays itself.
 */
function disjointSum(ptrs: usize, weights: usize, k: u32, o: usize, pos0: v128, pos1: v128, mixed: usize, div: usize): void {
  const zero = f32x4.splat(0);
  const flip0 = v128.andnot(i32x4.splat(-0x80000000), pos0);
  const flip1 = v128.andnot(i32x4.splat(-0x80000000), pos1);
  let m0 = zero;
  let m1 = zero;
  let d0 = zero;
  let d1 = zero;
  for (let i: u32 = 0; i < k; i++) {
    const p = load<usize>(ptrs + (i << 2)) + o;
    const w = v128.load32_splat(weights + (i << 2));
    const v0 = v128.load(p);
    const v1 = v128.load(p, 16);
    const keep0 = f32x4.gt(v128.xor(v0, flip0), zero);
    const keep1 = f32x4.gt(v128.xor(v1, flip1), zero);
    m0 = f32x4.add(v128.and(v0, keep0), m0);
    m1 = f32x4.add(v128.and(v1, keep1), m1);
    // d + w: w's NaN must win when both are NaN (see elementwise.ts), so d is zeroed there.
    const w0 = v128.and(w, keep0);
    const w1 = v128.and(w, keep1);
    d0 = f32x4.add(w0, v128.andnot(d0, f32x4.ne(w0, w0)));
    d1 = f32x4.add(w1, v128.andnot(d1, f32x4.ne(w1, w1)));
  }
  const one = f32x4.splat(1);
  v128.store(mixed + o, m0);
  v128.store(mixed + o, m1, 16);
  v128.store(div + o, v128.bitselect(one, d0, f32x4.eq(d0, zero)));
  v128.store(div + o, v128.bitselect(one, d1, f32x4.eq(d1, zero)), 16);
}

function signElectOne(ptrs: usize, weights: usize, k: u32, o: usize, consensus: u32, mixed: usize, div: usize): void {
  electOne(ptrs, weights, k, o, consensus, false);
  store<f32>(mixed + o, oneM);
  store<f32>(div + o, oneD == 0 ? <f32>1 : oneD);
}

// One element's disjoint sum and weight sum (electOne): module globals are per instance.
let oneM: f32 = 0;
let oneD: f32 = 0;

/** The value of model i at byte offset o: wd_i as stored, or w_i·δ_i (scale's scalar step) when scaled. */
// @ts-ignore: decorator
@inline
function valueOne(ptrs: usize, weights: usize, i: u32, o: usize, scaled: bool): f32 {
  const x = load<f32>(load<usize>(ptrs + (i << 2)) + o);
  return scaled ? x * (x != x ? <f32>0 : load<f32>(weights + (i << 2))) : x;
}

/** The election and disjoint sum of one element, into oneM and oneD (before 0 → 1). */
function electOne(ptrs: usize, weights: usize, k: u32, o: usize, consensus: u32, scaled: bool): void {
  let positive: bool;
  if (consensus == 0) {
    let s: f32 = 0;
    for (let i: u32 = 0; i < k; i++) s = valueOne(ptrs, weights, i, o, scaled) + s;
    positive = s >= 0;
  } else {
    let c: i32 = 0;
    for (let i: u32 = 0; i < k; i++) {
      const v = valueOne(ptrs, weights, i, o, scaled);
      if (v > 0) c++;
      else if (v < 0) c--;
    }
    positive = c >= 0;
  }
  let m: f32 = 0;
  let d: f32 = 0;
  for (let i: u32 = 0; i < k; i++) {
    const v = valueOne(ptrs, weights, i, o, scaled);
    if (positive ? v > 0 : v < 0) {
      const w = load<f32>(weights + (i << 2));
      m = v + m;
      d = w + (w != w ? <f32>0 : d);
    }
  }
  oneM = m;
  oneD = d;
}

// The consensus combine in one sweep (types.ts, consensusMix): per element, wd_i = w_i·δ_i as
// elementwise.ts scale computes it, the election and disjoint sum above, mixed / div when
// normalizing (elementwise.ts div), and b + λ·mixed (elementwise.ts axpy): the same operations in
// the same order as those kernels run one after another, so the same bits, without writing wd,
// mixed and div out and reading them back. ptrs: k addresses of δ_i; weights: k float32.

/** wd_i at byte offset o (plus `at`): w_i · δ_i. */
// @ts-ignore: decorator
@inline
function wdAt(ptrs: usize, weights: usize, i: u32, o: usize): v128 {
  return mulLanes(v128.load32_splat(weights + (i << 2)), v128.load(load<usize>(ptrs + (i << 2)) + o));
}

export function consensusMix(ptrs: usize, weights: usize, k: u32, n: usize, consensus: u32, normalize: u32, lambda: f32, b: usize): void {
  let done: usize;
  if (k == 2 && consensus == 0) {
    const w0 = load<f32>(weights);
    const w1 = load<f32>(weights, 4);
    // With no NaN among the weights and λ, each product has at most one NaN operand and the weight
    // sums none, so the NaN guards of mulLanes/addLanes change no bit there and are left out.
    done = w0 == w0 && w1 == w1 && lambda == lambda ? mixTwoBySumPlain(ptrs, weights, n, normalize, lambda, b) : mixTwoBySumGuarded(ptrs, weights, n, normalize, lambda, b);
  } else done = mixEight(ptrs, weights, k, n, consensus, normalize, lambda, b);
  for (let j = done; j < n; j++) consensusMixOne(ptrs, weights, k, j << 2, consensus, normalize, lambda, b);
}

/** a · b for four lanes: mulLanes, or the plain product when a is known to hold no NaN. */
// @ts-ignore: decorator
@inline
function mulBy(a: v128, b: v128, plain: bool): v128 {
  return plain ? f32x4.mul(b, a) : mulLanes(a, b);
}

/** a + b for four lanes: addLanes, or the plain sum when neither holds a NaN. */
// @ts-ignore: decorator
@inline
function addTo(a: v128, b: v128, plain: bool): v128 {
  return plain ? f32x4.add(b, a) : addLanes(a, b);
}

/** b + λ·(m, divided by d with 0 → 1 when normalizing) for four lanes at byte address p. */
// @ts-ignore: decorator
@inline
function finishLanes(m: v128, d: v128, normalize: u32, lv: v128, p: usize, plain: bool): void {
  if (normalize != 0) m = f32x4.div(m, v128.bitselect(f32x4.splat(1), d, f32x4.eq(d, f32x4.splat(0))));
  // b may be NaN and so may λ·m (an infinite m times λ = 0): the sum keeps its guard.
  v128.store(p, addLanes(v128.load(p), mulBy(lv, m, plain)));
}

function mixTwoBySumPlain(ptrs: usize, weights: usize, n: usize, normalize: u32, lambda: f32, b: usize): usize {
  return mixTwoBySum(ptrs, weights, n, normalize, lambda, b, true);
}

function mixTwoBySumGuarded(ptrs: usize, weights: usize, n: usize, normalize: u32, lambda: f32, b: usize): usize {
  return mixTwoBySum(ptrs, weights, n, normalize, lambda, b, false);
}

/**
 * Two models, election by sum (the usual TIES merge): whole groups of 8; returns elements done.
 * plain: the weights and λ hold no NaN (inlined twice, so each copy's branches fold away).
 */
// @ts-ignore: decorator
@inline
function mixTwoBySum(ptrs: usize, weights: usize, n: usize, normalize: u32, lambda: f32, b: usize, plain: bool): usize {
  const zero = f32x4.splat(0);
  const sign = i32x4.splat(-0x80000000);
  const lv = f32x4.splat(lambda);
  const p0 = load<usize>(ptrs);
  const p1 = load<usize>(ptrs, 4);
  const w0 = v128.load32_splat(weights);
  const w1 = v128.load32_splat(weights + 4);
  let j: usize = 0;
  for (; j + 8 <= n; j += 8) {
    const o = j << 2;
    const a0 = mulBy(w0, v128.load(p0 + o), plain);
    const a1 = mulBy(w0, v128.load(p0 + o, 16), plain);
    const c0 = mulBy(w1, v128.load(p1 + o), plain);
    const c1 = mulBy(w1, v128.load(p1 + o, 16), plain);
    // s = (0 + wd_0) + wd_1 as electBySum adds, in model order from +0. Without the first +0 only
    // the sign of a zero s can differ, and s >= 0 holds for both zeros: the same election.
    const f0 = v128.andnot(sign, f32x4.ge(f32x4.add(c0, plain ? a0 : f32x4.add(a0, zero)), zero));
    const f1 = v128.andnot(sign, f32x4.ge(f32x4.add(c1, plain ? a1 : f32x4.add(a1, zero)), zero));
    const ka0 = f32x4.gt(v128.xor(a0, f0), zero);
    const ka1 = f32x4.gt(v128.xor(a1, f1), zero);
    const kc0 = f32x4.gt(v128.xor(c0, f0), zero);
    const kc1 = f32x4.gt(v128.xor(c1, f1), zero);
    // Kept values are never zero and unkept lanes are +0, so leaving out the +0 that the sums
    // start from changes no bit of m; d may become −0 instead of +0, and either is replaced by 1.
    const ma0 = v128.and(a0, ka0);
    const ma1 = v128.and(a1, ka1);
    const m0 = f32x4.add(v128.and(c0, kc0), plain ? ma0 : f32x4.add(ma0, zero));
    const m1 = f32x4.add(v128.and(c1, kc1), plain ? ma1 : f32x4.add(ma1, zero));
    const da0 = v128.and(w0, ka0);
    const da1 = v128.and(w0, ka1);
    const d0 = addTo(plain ? da0 : addTo(zero, da0, false), v128.and(w1, kc0), plain);
    const d1 = addTo(plain ? da1 : addTo(zero, da1, false), v128.and(w1, kc1), plain);
    finishLanes(m0, d0, normalize, lv, b + o, plain);
    finishLanes(m1, d1, normalize, lv, b + o + 16, plain);
  }
  return j;
}

/** Any k, either election: whole groups of 8; returns elements done. */
function mixEight(ptrs: usize, weights: usize, k: u32, n: usize, consensus: u32, normalize: u32, lambda: f32, b: usize): usize {
  const zero = f32x4.splat(0);
  const sign = i32x4.splat(-0x80000000);
  const lv = f32x4.splat(lambda);
  let j: usize = 0;
  for (; j + 8 <= n; j += 8) {
    const o = j << 2;
    let pos0: v128;
    let pos1: v128;
    if (consensus == 0) {
      let s0 = zero;
      let s1 = zero;
      for (let i: u32 = 0; i < k; i++) {
        s0 = f32x4.add(wdAt(ptrs, weights, i, o), s0);
        s1 = f32x4.add(wdAt(ptrs, weights, i, o + 16), s1);
      }
      pos0 = f32x4.ge(s0, zero);
      pos1 = f32x4.ge(s1, zero);
    } else {
      let c0 = i32x4.splat(0);
      let c1 = i32x4.splat(0);
      for (let i: u32 = 0; i < k; i++) {
        const v0 = wdAt(ptrs, weights, i, o);
        const v1 = wdAt(ptrs, weights, i, o + 16);
        c0 = i32x4.add(i32x4.sub(c0, f32x4.gt(v0, zero)), f32x4.lt(v0, zero));
        c1 = i32x4.add(i32x4.sub(c1, f32x4.gt(v1, zero)), f32x4.lt(v1, zero));
      }
      pos0 = i32x4.ge_s(c0, i32x4.splat(0));
      pos1 = i32x4.ge_s(c1, i32x4.splat(0));
    }
    const flip0 = v128.andnot(sign, pos0);
    const flip1 = v128.andnot(sign, pos1);
    let m0 = zero;
    let m1 = zero;
    let d0 = zero;
    let d1 = zero;
    for (let i: u32 = 0; i < k; i++) {
      const w = v128.load32_splat(weights + (i << 2));
      const v0 = wdAt(ptrs, weights, i, o);
      const v1 = wdAt(ptrs, weights, i, o + 16);
      const keep0 = f32x4.gt(v128.xor(v0, flip0), zero);
      const keep1 = f32x4.gt(v128.xor(v1, flip1), zero);
      m0 = f32x4.add(v128.and(v0, keep0), m0);
      m1 = f32x4.add(v128.and(v1, keep1), m1);
      d0 = addLanes(d0, v128.and(w, keep0));
      d1 = addLanes(d1, v128.and(w, keep1));
    }
    finishLanes(m0, d0, normalize, lv, b + o, false);
    finishLanes(m1, d1, normalize, lv, b + o + 16, false);
  }
  return j;
}

function consensusMixOne(ptrs: usize, weights: usize, k: u32, o: usize, consensus: u32, normalize: u32, lambda: f32, b: usize): void {
  electOne(ptrs, weights, k, o, consensus, true);
  let m = oneM;
  if (normalize != 0) m = m / (oneD == 0 ? <f32>1 : oneD);
  // axpy's scalar step: b + (λ·m), each operand's NaN rule as in elementwise.ts add1/mul1.
  const p: f32 = m * (m != m ? <f32>0 : lambda);
  const x = load<f32>(b + o);
  store<f32>(b + o, p + (p != p ? <f32>0 : x));
}
