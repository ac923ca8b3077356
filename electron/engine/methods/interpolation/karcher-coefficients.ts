/**
 * karcher (spec §3) in coefficient form. The unit vectors u_i = x_i/‖x_i‖ of the valid inputs
 * (‖x_i‖ > tol) have the Gram matrix H_ab = G_ab/(n_a n_b); the iterate u = Σ β_a u_a stays in their
 * span (the mean of the u_a, tangent steps along u_a − cos θ_a u, renormalisation), so it is carried
 * as β and every dot product or norm comes from H:
 *   ⟨u_a, u⟩ = (Hβ)_a,   T = Σ α_a θ_a/sin θ_a (u_a − cos θ_a u) → γ,   ‖T‖ = sqrt(γᵀHγ).
 * α_a = 1/N over the N valid inputs, and out = (Σ α_a ‖x_a‖)·u (the spec's reading; mergekit's
 * own scale divides by the count of all inputs, which differs only when some input has ‖x‖ ≤ tol).
 * With no valid input the output is zero.
 */
import { combinationNorm, gramTimes, type Gram } from './gram.js';

/** Coefficients c_i on the raw inputs x_i (0 for the inputs with ‖x_i‖ ≤ tol). */
export function karcherCoefficients(g: Gram, maxIter: number, tol: number): number[] {
  const norms = g.map((row, i) => Math.sqrt(Math.max(0, row[i])));
  const valid = norms.flatMap((n, i) => (n > tol ? [i] : []));
  const coefs = new Array<number>(g.length).fill(0);
  if (valid.length === 0) return coefs;
  const v = valid.length;
  const alpha = 1 / v;
  const h: Gram = valid.map((a) => valid.map((b) => g[a][b] / (norms[a] * norms[b])));

  let beta = new Array<number>(v).fill(alpha);
  const meanNorm = combinationNorm(h, beta);
  beta = meanNorm < tol ? beta.map((_, a) => (a === 0 ? 1 : 0)) : beta.map((b) => b / meanNorm);

  for (let iter = 0; iter < maxIter; iter++) {
    const dots = gramTimes(h, beta);
    const gamma = new Array<number>(v).fill(0);
    for (let a = 0; a < v; a++) {
      const cos = Math.min(1, Math.max(-1, dots[a]));
      const theta = Math.acos(cos);
      if (theta < tol) continue;
      const f = (alpha * theta) / Math.sin(theta);
      gamma[a] += f;
      for (let b = 0; b < v; b++) gamma[b] -= f * cos * beta[b];
    }
    const tangentNorm = combinationNorm(h, gamma);
    if (tangentNorm < tol) break;
    const cos = Math.cos(tangentNorm);
    const sin = Math.sin(tangentNorm);
    beta = beta.map((b, a) => cos * b + (sin * gamma[a]) / tangentNorm);
    const unitNorm = combinationNorm(h, beta);
    if (unitNorm > tol) beta = beta.map((b) => b / unitNorm);
  }

  let scale = 0;
  for (const a of valid) scale += alpha * norms[a];
  valid.forEach((i, a) => {
    coefs[i] = (scale * beta[a]) / norms[i];
  });
  return coefs;
}
