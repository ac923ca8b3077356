// Counts for the merge diagnostics (electron/engine/diagnostics/merge-stats.ts), which otherwise
// loop over every element in JavaScript: per task vector its non-zero coordinates, the
// coordinates where at least two are non-zero and those where their signs differ, and DARE's
// survivors among a task vector's non-zero coordinates.

import { fmix32, fmix32Lanes } from './random-mask';

/**
 * ptrs: k u32 addresses of float32 vectors of n elements. counts: k + 2 u32, added to:
 * counts[i] += #(x_i[j] != 0) (NaN counts: it is not 0); counts[k] += #(at least two x_i[j] > 0
 * or < 0); counts[k + 1] += #(some x_i[j] > 0 and some < 0). n < 2^31.
 */
export function signCounts(ptrs: usize, k: u32, n: usize, counts: usize): void {
  const zero = f32x4.splat(0);
  const two = i32x4.splat(2);
  let contested = i32x4.splat(0);
  let conflicting = i32x4.splat(0);
  // Per model, its non-zero count in lanes: models in turn over the whole vector keeps one accumulator live.
  for (let i: u32 = 0; i < k; i++) {
    const p = load<usize>(ptrs + (i << 2));
    let nz = i32x4.splat(0);
    let j: usize = 0;
    for (; j + 4 <= n; j += 4) nz = i32x4.sub(nz, f32x4.ne(v128.load(p + (j << 2)), zero));
    let c = <u32>(i32x4.extract_lane(nz, 0) + i32x4.extract_lane(nz, 1) + i32x4.extract_lane(nz, 2) + i32x4.extract_lane(nz, 3));
    for (; j < n; j++) if (load<f32>(p + (j << 2)) != 0) c++;
    store<u32>(counts + (i << 2), load<u32>(counts + (i << 2)) + c);
  }
  let j: usize = 0;
  for (; j + 4 <= n; j += 4) {
    let pos = i32x4.splat(0);
    let neg = i32x4.splat(0);
    for (let i: u32 = 0; i < k; i++) {
      const v = v128.load(load<usize>(ptrs + (i << 2)) + (j << 2));
      pos = i32x4.sub(pos, f32x4.gt(v, zero));
      neg = i32x4.sub(neg, f32x4.lt(v, zero));
    }
    contested = i32x4.sub(contested, i32x4.ge_s(i32x4.add(pos, neg), two));
    conflicting = i32x4.sub(conflicting, v128.and(i32x4.gt_s(pos, i32x4.splat(0)), i32x4.gt_s(neg, i32x4.splat(0))));
  }
  let cc = <u32>(i32x4.extract_lane(contested, 0) + i32x4.extract_lane(contested, 1) + i32x4.extract_lane(contested, 2) + i32x4.extract_lane(contested, 3));
  let cf = <u32>(i32x4.extract_lane(conflicting, 0) + i32x4.extract_lane(conflicting, 1) + i32x4.extract_lane(conflicting, 2) + i32x4.extract_lane(conflicting, 3));
  for (; j < n; j++) {
    let pos: u32 = 0;
    let neg: u32 = 0;
    for (let i: u32 = 0; i < k; i++) {
      const v = load<f32>(load<usize>(ptrs + (i << 2)) + (j << 2));
      if (v > 0) pos++;
      else if (v < 0) neg++;
    }
    if (pos + neg >= 2) cc++;
    if (pos > 0 && neg > 0) cf++;
  }
  store<u32>(counts + (k << 2), load<u32>(counts + (k << 2)) + cc);
  store<u32>(counts + ((k + 1) << 2), load<u32>(counts + ((k + 1) << 2)) + cf);
}

/**
 * #(x[i] != 0 and DARE keeps element i): fmix32((start + i) ^ key) < threshold (unsigned,
 * threshold in [1, 2^32 − 1]). n < 2^31.
 */
export function countKeptRandom(x: usize, n: usize, start: u32, key: u32, threshold: u32): u32 {
  const keyv = i32x4.splat(key);
  const thr = i32x4.splat(threshold);
  const zero = f32x4.splat(0);
  const step = i32x4.splat(4);
  let jv = i32x4.add(i32x4.splat(start), i32x4(0, 1, 2, 3));
  let kept = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const keep = i32x4.lt_u(fmix32Lanes(v128.xor(jv, keyv)), thr);
    kept = i32x4.sub(kept, v128.and(keep, f32x4.ne(v128.load(x + (i << 2)), zero)));
    jv = i32x4.add(jv, step);
  }
  let c = <u32>(i32x4.extract_lane(kept, 0) + i32x4.extract_lane(kept, 1) + i32x4.extract_lane(kept, 2) + i32x4.extract_lane(kept, 3));
  for (; i < n; i++) if (load<f32>(x + (i << 2)) != 0 && fmix32((start + <u32>i) ^ key) < threshold) c++;
  return c;
}
