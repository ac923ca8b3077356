/**
 * SCE's per-element steps (spec §3 `sce`), plain TypeScript with a float32 rounding after every
 * operation (no Backend primitive computes them): the population variance of τ across models, and
 * the election on the unweighted τ with the ω-weighted disjoint mean.
 */
const fr = Math.fround;

/** max(Σ ω_i m_i, 1e-6) as float32. */
const MIN_DIVISOR = fr(1e-6);

/**
 * v[j] = population variance of τ_0[j]..τ_{N−1}[j]: μ = (Σ_i τ_i)·f32(1/N), v = (Σ_i (τ_i − μ)²)·f32(1/N),
 * sums in model order. Returns how many v[j] are nonzero.
 */
export function populationVariance(taus: readonly Float32Array[], len: number, v: Float32Array): number {
  const invN = fr(1 / taus.length);
  let nonzero = 0;
  for (let j = 0; j < len; j++) {
    let s = 0;
    for (const t of taus) s = fr(s + t[j]);
    const mu = fr(s * invN);
    let acc = 0;
    for (const t of taus) {
      const d = fr(t[j] - mu);
      acc = fr(acc + fr(d * d));
    }
    const vj = fr(acc * invN);
    v[j] = vj;
    if (vj !== 0) nonzero++;
  }
  return nonzero;
}

/**
 * b[j] ← b[j] + (Σ ω_i m_i τ_i) / max(Σ ω_i m_i, 1e-6), with s = +1 where Σ τ_i ≥ 0 else −1 and
 * m_i = [sign(τ_i) = s] (zeros never count). omega: float32-rounded per-model weights.
 */
export function electedWeightedMean(taus: readonly Float32Array[], omega: readonly number[], len: number, b: Float32Array): void {
  const k = taus.length;
  for (let j = 0; j < len; j++) {
    let s = 0;
    for (let i = 0; i < k; i++) s = fr(s + taus[i][j]);
    const positive = s >= 0;
    let num = 0;
    let den = 0;
    for (let i = 0; i < k; i++) {
      const t = taus[i][j];
      if (positive ? t > 0 : t < 0) {
        num = fr(num + fr(omega[i] * t));
        den = fr(den + omega[i]);
      }
    }
    b[j] = fr(b[j] + fr(num / (den > MIN_DIVISOR ? den : MIN_DIVISOR)));
  }
}
