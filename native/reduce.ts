// Block reductions (types.ts): per BLOCK of 4096 elements, four float64 lanes take the elements
// i = 0, 1, 2, 3 (mod 4) in order; the block sum is (lane0 + lane1) + (lane2 + lane3) and block
// sums are added in order into the running total. Lanes 0,1 live in one f64x2 and lanes 2,3 in
// another, so SIMD adds in exactly the reference order. Each lane is one long chain of dependent
// float64 adds; to hide their latency, four whole blocks are summed side by side (their sums are
// still added to the total one after the other).

import { fmix32Lanes } from './random-mask';

const BLOCK: usize = 4096;
const BLOCK_BYTES: usize = BLOCK * 4;

function blockSum(s01: v128, s23: v128): f64 {
  return f64x2.extract_lane(s01, 0) + f64x2.extract_lane(s01, 1) + (f64x2.extract_lane(s23, 0) + f64x2.extract_lane(s23, 1));
}

/** The float64 products of the two float32 at byte addresses x and y (exact). */
function prod(x: usize, y: usize): v128 {
  return f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(x)), f64x2.promote_low_f32x4(v128.load64_zero(y)));
}

/** Running float64 total of block sums of x[i] * y[i] (products exact in float64). */
export function dotBlocks(x: usize, y: usize, n: usize, total: f64): f64 {
  let b: usize = 0;
  for (; b + 4 * BLOCK <= n; b += 4 * BLOCK) {
    let a01 = f64x2.splat(0), a23 = f64x2.splat(0), b01 = f64x2.splat(0), b23 = f64x2.splat(0);
    let c01 = f64x2.splat(0), c23 = f64x2.splat(0), d01 = f64x2.splat(0), d23 = f64x2.splat(0);
    const xb = x + (b << 2);
    const yb = y + (b << 2);
    for (let o: usize = 0; o < BLOCK_BYTES; o += 16) {
      a01 = f64x2.add(a01, prod(xb + o, yb + o));
      a23 = f64x2.add(a23, prod(xb + o + 8, yb + o + 8));
      b01 = f64x2.add(b01, prod(xb + o + BLOCK_BYTES, yb + o + BLOCK_BYTES));
      b23 = f64x2.add(b23, prod(xb + o + BLOCK_BYTES + 8, yb + o + BLOCK_BYTES + 8));
      c01 = f64x2.add(c01, prod(xb + o + 2 * BLOCK_BYTES, yb + o + 2 * BLOCK_BYTES));
      c23 = f64x2.add(c23, prod(xb + o + 2 * BLOCK_BYTES + 8, yb + o + 2 * BLOCK_BYTES + 8));
      d01 = f64x2.add(d01, prod(xb + o + 3 * BLOCK_BYTES, yb + o + 3 * BLOCK_BYTES));
      d23 = f64x2.add(d23, prod(xb + o + 3 * BLOCK_BYTES + 8, yb + o + 3 * BLOCK_BYTES + 8));
    }
    total += blockSum(a01, a23);
    total += blockSum(b01, b23);
    total += blockSum(c01, c23);
    total += blockSum(d01, d23);
  }
  for (; b < n; b += BLOCK) {
    const end = min(n, b + BLOCK);
    let s01 = f64x2.splat(0);
    let s23 = f64x2.splat(0);
    let i = b;
    for (; i + 4 <= end; i += 4) {
      const o = i << 2;
      s01 = f64x2.add(s01, prod(x + o, y + o));
      s23 = f64x2.add(s23, prod(x + o + 8, y + o + 8));
    }
    // The last block may end inside a group of four: its elements go to lanes 0, 1, 2 in order.
    total += tailSum(s01, s23, x, y, i, end);
  }
  return total;
}

/** |x| of the two float32 at byte address p, as float64. */
function absLow(p: usize): v128 {
  return f64x2.promote_low_f32x4(f32x4.abs(v128.load64_zero(p)));
}

// The four block sums of absSumFourBlocks: module globals are per instance (each worker thread
// has its own), so they are safe where a static buffer in the shared memory would not be.
let sum0: f64 = 0;
let sum1: f64 = 0;
let sum2: f64 = 0;
let sum3: f64 = 0;

/** sum0..sum3 = the block sums of |x| over the four whole blocks at byte address xb, side by side. */
// @ts-ignore: decorator
@inline
function absSumFourBlocks(xb: usize): void {
  let a01 = f64x2.splat(0), a23 = f64x2.splat(0), b01 = f64x2.splat(0), b23 = f64x2.splat(0);
  let c01 = f64x2.splat(0), c23 = f64x2.splat(0), d01 = f64x2.splat(0), d23 = f64x2.splat(0);
  for (let o: usize = 0; o < BLOCK_BYTES; o += 16) {
    a01 = f64x2.add(a01, absLow(xb + o));
    a23 = f64x2.add(a23, absLow(xb + o + 8));
    b01 = f64x2.add(b01, absLow(xb + o + BLOCK_BYTES));
    b23 = f64x2.add(b23, absLow(xb + o + BLOCK_BYTES + 8));
    c01 = f64x2.add(c01, absLow(xb + o + 2 * BLOCK_BYTES));
    c23 = f64x2.add(c23, absLow(xb + o + 2 * BLOCK_BYTES + 8));
    d01 = f64x2.add(d01, absLow(xb + o + 3 * BLOCK_BYTES));
    d23 = f64x2.add(d23, absLow(xb + o + 3 * BLOCK_BYTES + 8));
  }
  sum0 = blockSum(a01, a23);
  sum1 = blockSum(b01, b23);
  sum2 = blockSum(c01, c23);
  sum3 = blockSum(d01, d23);
}

/** Running float64 total of block sums of |x[i]|. */
export function absSumBlocks(x: usize, n: usize, total: f64): f64 {
  let b: usize = 0;
  for (; b + 4 * BLOCK <= n; b += 4 * BLOCK) {
    absSumFourBlocks(x + (b << 2));
    total += sum0;
    total += sum1;
    total += sum2;
    total += sum3;
  }
  for (; b < n; b += BLOCK) {
    const end = min(n, b + BLOCK);
    let s01 = f64x2.splat(0);
    let s23 = f64x2.splat(0);
    let i = b;
    for (; i + 4 <= end; i += 4) {
      s01 = f64x2.add(s01, absLow(x + (i << 2)));
      s23 = f64x2.add(s23, absLow(x + (i << 2) + 8));
    }
    let s0 = f64x2.extract_lane(s01, 0);
    let s1 = f64x2.extract_lane(s01, 1);
    let s2 = f64x2.extract_lane(s23, 0);
    const s3 = f64x2.extract_lane(s23, 1);
    const o = i << 2;
    if (i < end) s0 += <f64>abs(load<f32>(x + o));
    if (i + 1 < end) s1 += <f64>abs(load<f32>(x + o, 4));
    if (i + 2 < end) s2 += <f64>abs(load<f32>(x + o, 8));
    total += s0 + s1 + (s2 + s3);
  }
  return total;
}

/**
 * out[j] = the block sum of |x| over block j (elements [j·BLOCK, (j+1)·BLOCK)) for `blocks` whole
 * blocks: each exactly absSumBlocks(block, BLOCK, 0), with four blocks summed side by side to hide
 * the float64 add latency (a per-block call cannot). out: float64, 8-byte aligned.
 */
export function absSumEachBlock(x: usize, blocks: usize, out: usize): void {
  let j: usize = 0;
  for (; j + 4 <= blocks; j += 4) {
    absSumFourBlocks(x + j * BLOCK_BYTES);
    store<f64>(out + (j << 3), sum0);
    store<f64>(out + (j << 3), sum1, 8);
    store<f64>(out + (j << 3), sum2, 16);
    store<f64>(out + (j << 3), sum3, 24);
  }
  for (; j < blocks; j++) store<f64>(out + (j << 3), absSumBlocks(x + j * BLOCK_BYTES, BLOCK, 0));
}

/** The float64 values of float32 lanes 2 and 3 of v. */
function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3));
}

/**
 * For `blocks` whole blocks of x, without writing x: all[j] = the block sum of |x| over block j
 * (exactly absSumEachBlock's), and kept[j] = the block sum of |x| where DARE's mask keeps the
 * element and +0 where it drops it: exactly randomMask then absSumEachBlock, since a dropped
 * element becomes +0 and adds +0 to its lane. Element i of x has flat index start + i (mod 2^32),
 * kept when fmix32(index ^ key) < threshold (threshold in [1, 2^32 − 1]). Two blocks go side by
 * side (their four sums need 8 float64x2 accumulators, as many as absSumFourBlocks). all, kept:
 * float64, 8-byte aligned.
 */
export function keptAbsSumEachBlock(x: usize, blocks: usize, start: u32, key: u32, threshold: u32, all: usize, kept: usize): void {
  const keyv = i32x4.splat(key);
  const thr = i32x4.splat(threshold);
  const step = i32x4.splat(4);
  let j: usize = 0;
  for (; j + 2 <= blocks; j += 2) {
    const xa = x + j * BLOCK_BYTES;
    let ja = i32x4.add(i32x4.splat(start + <u32>(j * BLOCK)), i32x4(0, 1, 2, 3));
    let jb = i32x4.add(ja, i32x4.splat(<i32>BLOCK));
    let a01 = f64x2.splat(0), a23 = f64x2.splat(0), ak01 = f64x2.splat(0), ak23 = f64x2.splat(0);
    let b01 = f64x2.splat(0), b23 = f64x2.splat(0), bk01 = f64x2.splat(0), bk23 = f64x2.splat(0);
    for (let o: usize = 0; o < BLOCK_BYTES; o += 16) {
      const va = f32x4.abs(v128.load(xa + o));
      const vb = f32x4.abs(v128.load(xa + o + BLOCK_BYTES));
      const ka = v128.andnot(va, i32x4.ge_u(fmix32Lanes(v128.xor(ja, keyv)), thr));
      const kb = v128.andnot(vb, i32x4.ge_u(fmix32Lanes(v128.xor(jb, keyv)), thr));
      a01 = f64x2.add(a01, f64x2.promote_low_f32x4(va));
      a23 = f64x2.add(a23, promoteHigh(va));
      ak01 = f64x2.add(ak01, f64x2.promote_low_f32x4(ka));
      ak23 = f64x2.add(ak23, promoteHigh(ka));
      b01 = f64x2.add(b01, f64x2.promote_low_f32x4(vb));
      b23 = f64x2.add(b23, promoteHigh(vb));
      bk01 = f64x2.add(bk01, f64x2.promote_low_f32x4(kb));
      bk23 = f64x2.add(bk23, promoteHigh(kb));
      ja = i32x4.add(ja, step);
      jb = i32x4.add(jb, step);
    }
    store<f64>(all + (j << 3), blockSum(a01, a23));
    store<f64>(all + (j << 3), blockSum(b01, b23), 8);
    store<f64>(kept + (j << 3), blockSum(ak01, ak23));
    store<f64>(kept + (j << 3), blockSum(bk01, bk23), 8);
  }
  if (j < blocks) {
    const xa = x + j * BLOCK_BYTES;
    let ja = i32x4.add(i32x4.splat(start + <u32>(j * BLOCK)), i32x4(0, 1, 2, 3));
    let a01 = f64x2.splat(0), a23 = f64x2.splat(0), ak01 = f64x2.splat(0), ak23 = f64x2.splat(0);
    for (let o: usize = 0; o < BLOCK_BYTES; o += 16) {
      const va = f32x4.abs(v128.load(xa + o));
      const ka = v128.andnot(va, i32x4.ge_u(fmix32Lanes(v128.xor(ja, keyv)), thr));
      a01 = f64x2.add(a01, f64x2.promote_low_f32x4(va));
      a23 = f64x2.add(a23, promoteHigh(va));
      ak01 = f64x2.add(ak01, f64x2.promote_low_f32x4(ka));
      ak23 = f64x2.add(ak23, promoteHigh(ka));
      ja = i32x4.add(ja, step);
    }
    store<f64>(all + (j << 3), blockSum(a01, a23));
    store<f64>(kept + (j << 3), blockSum(ak01, ak23));
  }
}

/**
 * out[0..3) += dotBlocks of (x, x), (x, y) and (y, y): the three running totals of two vectors'
 * Gram matrix in one sweep, each added in exactly dotBlocks' order (the same bits). out: float64,
 * 8-byte aligned.
 */
export function gramTwoBlocks(x: usize, y: usize, n: usize, out: usize): void {
  let xx = load<f64>(out);
  let xy = load<f64>(out, 8);
  let yy = load<f64>(out, 16);
  for (let b: usize = 0; b < n; b += BLOCK) {
    const end = min(n, b + BLOCK);
    let xx01 = f64x2.splat(0), xx23 = f64x2.splat(0), xy01 = f64x2.splat(0), xy23 = f64x2.splat(0), yy01 = f64x2.splat(0), yy23 = f64x2.splat(0);
    let i = b;
    for (; i + 4 <= end; i += 4) {
      const o = i << 2;
      const x01 = f64x2.promote_low_f32x4(v128.load64_zero(x + o));
      const x23 = f64x2.promote_low_f32x4(v128.load64_zero(x + o + 8));
      const y01 = f64x2.promote_low_f32x4(v128.load64_zero(y + o));
      const y23 = f64x2.promote_low_f32x4(v128.load64_zero(y + o + 8));
      xx01 = f64x2.add(xx01, f64x2.mul(x01, x01));
      xx23 = f64x2.add(xx23, f64x2.mul(x23, x23));
      xy01 = f64x2.add(xy01, f64x2.mul(x01, y01));
      xy23 = f64x2.add(xy23, f64x2.mul(x23, y23));
      yy01 = f64x2.add(yy01, f64x2.mul(y01, y01));
      yy23 = f64x2.add(yy23, f64x2.mul(y23, y23));
    }
    // The last block may end inside a group of four: its elements go to lanes 0, 1, 2 in order.
    xx += tailSum(xx01, xx23, x, x, i, end);
    xy += tailSum(xy01, xy23, x, y, i, end);
    yy += tailSum(yy01, yy23, y, y, i, end);
  }
  store<f64>(out, xx);
  store<f64>(out, xy, 8);
  store<f64>(out, yy, 16);
}

/** A block's sum of products from its lanes s01, s23, plus its elements i..end (fewer than four) in lanes 0, 1, 2. */
function tailSum(s01: v128, s23: v128, x: usize, y: usize, i: usize, end: usize): f64 {
  let s0 = f64x2.extract_lane(s01, 0);
  let s1 = f64x2.extract_lane(s01, 1);
  let s2 = f64x2.extract_lane(s23, 0);
  const s3 = f64x2.extract_lane(s23, 1);
  const o = i << 2;
  if (i < end) s0 += <f64>load<f32>(x + o) * <f64>load<f32>(y + o);
  if (i + 1 < end) s1 += <f64>load<f32>(x + o, 4) * <f64>load<f32>(y + o, 4);
  if (i + 2 < end) s2 += <f64>load<f32>(x + o, 8) * <f64>load<f32>(y + o, 8);
  return s0 + s1 + (s2 + s3);
}
