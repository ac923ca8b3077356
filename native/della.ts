// DELLA's drop on whole rows (types.ts, dellaRows; electron/engine/methods/task-vector/della-drop.ts
// is the reference): in each row of m entries, rank the entries by |x| (ascending rank r − 1 =
// m − 1 − descending position; equal magnitudes: the lower index ranks higher), then keep entry e
// when fmix32((start + row·m + e) ^ key) < thresholds[r − 1] (float64 compare), dropped entries
// becoming +0 and survivors multiplied by inverses[r − 1] when `inverse`. The order is a stable
// LSD radix sort on the key 0x7fffffff − bits(|x|), three 11-bit digits counted in one sweep, a
// digit shared by every entry skipped: any stable sort gives the same order, so the bits are the
// reference's. The hashes are computed four at a time in index order before the sort, and each
// entry is decided in the last digit's scatter.
// With keepOut (not 0), each entry's decision is also stored there, one byte per entry of the unit
// (1 kept, 0 dropped), so that a later pass can apply it without ranking again.
// Scratch (u32): five arrays of m (indices, keys, their copies, hashes), then 3 × 2048 counters.

import { fmix32Lanes } from './random-mask';

const DIGIT_BITS: u32 = 11;
const DIGITS: usize = 1 << DIGIT_BITS;
const DIGIT_MASK: u32 = <u32>DIGITS - 1;

export function dellaRows(x: usize, rows: usize, m: usize, start: u32, key: u32, thresholds: usize, inverses: usize, inverse: u32, scratch: usize, keepOut: usize): void {
  for (let r: usize = 0; r < rows; r++) {
    const row = x + ((r * m) << 2);
    hashRow(scratch + ((4 * m) << 2), m, start + <u32>(r * m), key);
    orderAndDrop(row, m, thresholds, inverses, inverse, scratch, keepOut == 0 ? 0 : keepOut + r * m);
  }
}

/**
 * The decision for entry e of descending position q: kept when its hash is below the threshold of
 * its ascending rank index m − 1 − q.
 */
// @ts-ignore: decorator
@inline
function decide(row: usize, e: usize, rank: usize, hashes: usize, thresholds: usize, inverses: usize, inverse: u32, keep: usize): void {
  const p = row + (e << 2);
  const kept = <f64>load<u32>(hashes + (e << 2)) < load<f64>(thresholds + (rank << 3));
  if (keep != 0) store<u8>(keep + e, kept ? 1 : 0);
  if (kept) {
    // float32(x · 1/p): the reference's Math.fround of the product of two float32 values, which a
    // float64 product holds exactly; a NaN x stays itself (1/p is never NaN).
    if (inverse != 0) store<f32>(p, load<f32>(p) * load<f32>(inverses + (rank << 2)));
    else {
      // The reference reads the entry into a JavaScript number and stores it back, which quiets a
      // signalling NaN: set its quiet bit likewise.
      const bits = load<u32>(p);
      if ((bits & 0x7fffffff) > 0x7f800000) store<u32>(p, bits | 0x00400000);
    }
  } else store<u32>(p, 0);
}

/** hashes[e] = fmix32((first + e) ^ key) for e < m (mod 2^32). */
function hashRow(hashes: usize, m: usize, first: u32, key: u32): void {
  const keyv = i32x4.splat(key);
  let j = i32x4.add(i32x4.splat(first), i32x4(0, 1, 2, 3));
  const four = i32x4.splat(4);
  let e: usize = 0;
  for (; e + 4 <= m; e += 4) {
    v128.store(hashes + (e << 2), fmix32Lanes(v128.xor(j, keyv)));
    j = i32x4.add(j, four);
  }
  for (; e < m; e++) {
    let h = (first + <u32>e) ^ key;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    store<u32>(hashes + (e << 2), h);
  }
}

/**
 * Sorts the row's entries (stable LSD radix on the keys, digits counted in one sweep) and decides
 * each entry in the last digit's scatter, where its descending position is known: that pass writes
 * no order. A row whose keys all agree is in index order already.
 */
function orderAndDrop(row: usize, m: usize, thresholds: usize, inverses: usize, inverse: u32, scratch: usize, keep: usize): void {
  let idx = scratch;
  let keys = scratch + (m << 2);
  let idx2 = scratch + (m << 3);
  let keys2 = scratch + 3 * (m << 2);
  const hashes = scratch + ((4 * m) << 2);
  const counts = scratch + ((5 * m) << 2);
  memory.fill(counts, 0, (3 * DIGITS) << 2);
  const c1 = counts + (DIGITS << 2);
  const c2 = counts + (DIGITS << 3);
  for (let i: usize = 0; i < m; i++) {
    const k = 0x7fffffff - (load<u32>(row + (i << 2)) & 0x7fffffff);
    store<u32>(keys + (i << 2), k);
    const a = counts + (<usize>(k & DIGIT_MASK) << 2);
    store<u32>(a, load<u32>(a) + 1);
    const b = c1 + (<usize>((k >>> 11) & DIGIT_MASK) << 2);
    store<u32>(b, load<u32>(b) + 1);
    const c = c2 + (<usize>(k >>> 22) << 2);
    store<u32>(c, load<u32>(c) + 1);
  }
  // The digits whose scatter is needed (not shared by every entry), in order.
  const k0 = load<u32>(keys);
  let last: i32 = -1;
  for (let d: i32 = 0; d < 3; d++) {
    const count = counts + ((<usize>d * DIGITS) << 2);
    if (load<u32>(count + (<usize>((k0 >>> (<u32>d * DIGIT_BITS)) & DIGIT_MASK) << 2)) != <u32>m) last = d;
  }
  if (last < 0) {
    for (let q: usize = 0; q < m; q++) decide(row, q, m - 1 - q, hashes, thresholds, inverses, inverse, keep);
    return;
  }
  let identity = true;
  for (let d: i32 = 0; d <= last; d++) {
    const shift = <u32>d * DIGIT_BITS;
    const count = counts + ((<usize>d * DIGITS) << 2);
    if (load<u32>(count + (<usize>((k0 >>> shift) & DIGIT_MASK) << 2)) == <u32>m) continue;
    let sum: u32 = 0;
    for (let b: usize = 0; b < DIGITS; b++) {
      const c = count + (b << 2);
      const v = load<u32>(c);
      store<u32>(c, sum);
      sum += v;
    }
    if (d == last) {
      for (let i: usize = 0; i < m; i++) {
        const c = count + (<usize>((load<u32>(keys + (i << 2)) >>> shift) & DIGIT_MASK) << 2);
        const at = <usize>load<u32>(c);
        store<u32>(c, <u32>at + 1);
        decide(row, identity ? i : <usize>load<u32>(idx + (i << 2)), m - 1 - at, hashes, thresholds, inverses, inverse, keep);
      }
      return;
    }
    for (let i: usize = 0; i < m; i++) {
      const k = load<u32>(keys + (i << 2));
      const c = count + (<usize>((k >>> shift) & DIGIT_MASK) << 2);
      const at = <usize>load<u32>(c);
      store<u32>(c, <u32>at + 1);
      store<u32>(keys2 + (at << 2), k);
      store<u32>(idx2 + (at << 2), identity ? <u32>i : load<u32>(idx + (i << 2)));
    }
    identity = false;
    const ti = idx;
    idx = idx2;
    idx2 = ti;
    const tk = keys;
    keys = keys2;
    keys2 = tk;
  }
}
