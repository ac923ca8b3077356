/**
 * Rotary position embeddings in HF's rotate_half convention: dimension i is paired with
 * i + d/2 (not the interleaved GPT-J pairs 2i, 2i+1).
 */

/** cos and sin of pos · invFreq[i], for positions 0..maxPos−1: [maxPos, d/2] each. */
export interface RopeTable {
  half: number;
  maxPos: number;
  cos: Float32Array;
  sin: Float32Array;
}

/** Like HF: the angle pos · inv_freq is a float32 product, its cos and sin float32 values. */
export function ropeTable(invFreq: Float32Array, maxPos: number): RopeTable {
  const half = invFreq.length;
  const cos = new Float32Array(maxPos * half);
  const sin = new Float32Array(maxPos * half);
  for (let p = 0; p < maxPos; p++) {
    for (let i = 0; i < half; i++) {
      const a = Math.fround(p * invFreq[i]);
      cos[p * half + i] = Math.cos(a);
      sin[p * half + i] = Math.sin(a);
    }
  }
  return { half, maxPos, cos, sin };
}

/**
 * Rotates `heads` heads of size 2·half in each of `rows` rows of x (row stride `rowStride`
 * floats), row t at position t (positions restart at 0 for each call: one window at a time).
 */
export function applyRope(x: Float32Array, rowStart: number, rows: number, rowStride: number, heads: number, t: RopeTable): void {
  const half = t.half;
  if (rows > t.maxPos) throw new RangeError(`RoPE table covers ${t.maxPos} positions, ${rows} needed`);
  for (let p = 0; p < rows; p++) {
    const base = (rowStart + p) * rowStride;
    const c = p * half;
    for (let h = 0; h < heads; h++) {
      const o = base + h * 2 * half;
      for (let i = 0; i < half; i++) {
        const a = x[o + i];
        const b = x[o + i + half];
        const cs = t.cos[c + i];
        const sn = t.sin[c + i];
        x[o + i] = Math.fround(a * cs) - Math.fround(b * sn);
        x[o + i + half] = Math.fround(b * cs) + Math.fround(a * sn);
      }
    }
  }
}
