/**
 * Rotary embeddings (HF rotate_half: dimension i paired with i + d/2) on one window's rows, in
 * place, and the backward pass: the rotation's transpose (rotation by the opposite angle).
 */
import type { RopeTable } from '../../probe/math/rope.js';
import type { Vec } from './vec.js';

function rotate(x: Vec, rows: number, heads: number, t: RopeTable, sign: 1 | -1): void {
  const half = t.half;
  const stride = heads * 2 * half;
  if (rows > t.maxPos) throw new RangeError(`RoPE table covers ${t.maxPos} positions, ${rows} needed`);
  for (let p = 0; p < rows; p++) {
    for (let h = 0; h < heads; h++) {
      const o = p * stride + h * 2 * half;
      for (let i = 0; i < half; i++) {
        const c = t.cos[p * half + i];
        const s = sign * t.sin[p * half + i];
        const a = x[o + i];
        const b = x[o + i + half];
        x[o + i] = a * c - b * s;
        x[o + i + half] = b * c + a * s;
      }
    }
  }
}

/** x [rows, heads·d] at positions 0..rows−1. */
export function ropeForward(x: Vec, rows: number, heads: number, t: RopeTable): void {
  rotate(x, rows, heads, t, 1);
}

/** dx from dy (in place): the transpose of the forward rotation. */
export function ropeBackward(dy: Vec, rows: number, heads: number, t: RopeTable): void {
  rotate(dy, rows, heads, t, -1);
}
