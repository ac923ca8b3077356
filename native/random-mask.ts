// DARE keep-mask with the spec's counter-based hash: element j = start + i is kept when
// fmix32(j ^ key) < threshold (unsigned); dropped elements become +0. All arithmetic mod 2^32.

/** fmix32 of four u32 lanes (mod 2^32). */
// @ts-ignore: decorator
@inline
export function fmix32Lanes(h: v128): v128 {
  h = v128.xor(h, i32x4.shr_u(h, 16));
  h = i32x4.mul(h, i32x4.splat(0x85ebca6b));
  h = v128.xor(h, i32x4.shr_u(h, 13));
  h = i32x4.mul(h, i32x4.splat(0xc2b2ae35));
  return v128.xor(h, i32x4.shr_u(h, 16));
}

export function fmix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

/** threshold is in [1, 2^32 - 1]; the caller handles "keep all" and "drop all". */
export function randomMask(x: usize, n: usize, start: u32, key: u32, threshold: u32): void {
  maskLoop(x, n, start, key, threshold, 1, false);
}

/**
 * randomMask, then every element times c (elementwise.ts scale), in one pass: kept elements become
 * x·c, dropped ones +0. The caller passes only c > 0 and finite, where the two steps give exactly
 * this: a dropped +0 times c stays +0, and c holds no NaN, so x·c needs no NaN guard.
 */
export function randomMaskScale(x: usize, n: usize, start: u32, key: u32, threshold: u32, c: f32): void {
  maskLoop(x, n, start, key, threshold, c, true);
}

/** The mask (and, when scaled, the product by c) over n elements (inlined twice: each copy's branches fold away). */
// @ts-ignore: decorator
@inline
function maskLoop(x: usize, n: usize, start: u32, key: u32, threshold: u32, c: f32, scaled: bool): void {
  const keyv = i32x4.splat(key);
  const thr = i32x4.splat(threshold);
  const cv = f32x4.splat(c);
  const step = i32x4.splat(8);
  let j0 = i32x4.add(i32x4.splat(start), i32x4(0, 1, 2, 3));
  let j1 = i32x4.add(i32x4.splat(start), i32x4(4, 5, 6, 7));
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const o = i << 2;
    const drop0 = i32x4.ge_u(fmix32Lanes(v128.xor(j0, keyv)), thr);
    const drop1 = i32x4.ge_u(fmix32Lanes(v128.xor(j1, keyv)), thr);
    const v0 = v128.load(x + o);
    const v1 = v128.load(x + o, 16);
    v128.store(x + o, v128.andnot(scaled ? f32x4.mul(v0, cv) : v0, drop0));
    v128.store(x + o, v128.andnot(scaled ? f32x4.mul(v1, cv) : v1, drop1), 16);
    j0 = i32x4.add(j0, step);
    j1 = i32x4.add(j1, step);
  }
  for (; i < n; i++) {
    const p = x + (i << 2);
    if (fmix32((start + <u32>i) ^ key) >= threshold) store<u32>(p, 0);
    else if (scaled) store<f32>(p, load<f32>(p) * c);
  }
}
