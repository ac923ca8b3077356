/**
 * slerp (spec §3, mergekit's slerp): out = c0·v0 + c1·v1 on the raw vectors, from their Gram matrix.
 * A vector with ‖v‖ ≤ 1e-8 is used unnormalised; |cos| > 0.9995 lerps; t is not clamped.
 */
import type { Gram } from './gram.js';

const NORM_EPS = 1e-8;
const DOT_THRESHOLD = 0.9995;

export function slerpCoefficients(g: Gram, t: number): [number, number] {
  const n0 = Math.sqrt(g[0][0]);
  const n1 = Math.sqrt(g[1][1]);
  const cos = g[0][1] / ((n0 > NORM_EPS ? n0 : 1) * (n1 > NORM_EPS ? n1 : 1));
  if (Math.abs(cos) > DOT_THRESHOLD) return [1 - t, t];
  const theta = Math.acos(cos);
  const sin = Math.sin(theta);
  return [Math.sin((1 - t) * theta) / sin, Math.sin(t * theta) / sin];
}
