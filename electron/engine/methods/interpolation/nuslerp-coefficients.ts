/**
 * nuslerp (spec §3, mergekit's nuslerp): t = w_2/(w_1 + w_2); u = v/max(‖v‖, 1e-7); cos clamped to
 * [−1, 1]; lerp where |sin θ| < 1e-8; else out = (sin((1−t)θ)·v0 + sin(tθ)·v1)/sin θ.
 */
import type { Gram } from './gram.js';

const NORM_FLOOR = 1e-7;
const COLINEAR_SIN = 1e-8;
const WEIGHT_SUM_FLOOR = 1e-6;

/** t = w_2/(w_1 + w_2), or 0.5 when |w_1 + w_2| < 1e-6 (then `fallback` is true). */
export function nuslerpT(w1: number, w2: number): { t: number; fallback: boolean } {
  const sum = w1 + w2;
  return Math.abs(sum) < WEIGHT_SUM_FLOOR ? { t: 0.5, fallback: true } : { t: w2 / sum, fallback: false };
}

export function nuslerpCoefficients(g: Gram, t: number): [number, number] {
  const n0 = Math.max(Math.sqrt(g[0][0]), NORM_FLOOR);
  const n1 = Math.max(Math.sqrt(g[1][1]), NORM_FLOOR);
  const cos = Math.min(1, Math.max(-1, g[0][1] / (n0 * n1)));
  const theta = Math.acos(cos);
  const sin = Math.sin(theta);
  if (Math.abs(sin) < COLINEAR_SIN) return [1 - t, t];
  return [Math.sin((1 - t) * theta) / sin, Math.sin(t * theta) / sin];
}
