/**
 * multislerp (spec §3, mergekit's multislerp) in coefficient form. With X_i the vectors, n_i = ‖X_i‖
 * and u_i = X_i/(n_i + eps) = α_i X_i, every vector the method builds is Σ γ_i X_i:
 *   m = Σ w_i u_i                         → μ_i = w_i α_i,   ‖m‖ = sqrt(μᵀGμ)
 *   m̂ = m/‖m‖                            → μ̂ = μ/‖m‖
 *   ⟨u_i, m̂⟩ = α_i (G μ̂)_i
 *   τ = Σ w_i (u_i − ⟨u_i, m̂⟩ m̂) = m − (Σ w_i ⟨u_i, m̂⟩) m̂   → γ = μ − s·μ̂
 *   k = ‖τ‖ + eps,  out = (m̂ cos k + τ sin k / k) · Σ w_i n_i
 */
import { combinationNorm, gramTimes, type Gram } from './gram.js';

export type MultislerpResult = { kind: 'coefficients'; coefs: number[] } | { kind: 'vanishingMean' };

/** Weights after the optional normalisation by their sum. */
export function multislerpWeights(weights: readonly number[], normalize: boolean): number[] {
  if (!normalize) return [...weights];
  const sum = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / sum);
}

/**
 * Coefficients on the vectors X_i for the given (already normalised) weights. When ‖m‖ < eps, two
 * inputs give w_1X_1 + w_2X_2 and more give 'vanishingMean' (an error for the caller).
 */
export function multislerpCoefficients(g: Gram, w: readonly number[], eps: number): MultislerpResult {
  const k = w.length;
  const norms = g.map((row, i) => Math.sqrt(Math.max(0, row[i])));
  const alpha = norms.map((n) => 1 / (n + eps));
  const mu = w.map((wi, i) => wi * alpha[i]);
  const meanNorm = combinationNorm(g, mu);
  if (meanNorm < eps) {
    return k === 2 ? { kind: 'coefficients', coefs: [w[0], w[1]] } : { kind: 'vanishingMean' };
  }
  const muHat = mu.map((m) => m / meanNorm);
  const gMuHat = gramTimes(g, muHat);
  let s = 0;
  for (let i = 0; i < k; i++) s += w[i] * (alpha[i] * gMuHat[i]);
  const tau = mu.map((m, i) => m - s * muHat[i]);
  const tangentNorm = combinationNorm(g, tau) + eps;
  let scale = 0;
  for (let i = 0; i < k; i++) scale += w[i] * norms[i];
  const cos = Math.cos(tangentNorm);
  const sinOverK = Math.sin(tangentNorm) / tangentNorm;
  return { kind: 'coefficients', coefs: muHat.map((m, i) => (m * cos + tau[i] * sinOverK) * scale) };
}
