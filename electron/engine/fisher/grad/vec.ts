/**
 * Arrays the backward pass works on: float32 in the estimator (the weights as the probe reads
 * them), float64 in the finite-difference checks. Every op takes either; sums are float64.
 */
export type Vec = Float32Array | Float64Array;

/** A zeroed array of the same kind as `like`. */
export function zerosLike(like: Vec, n: number): Vec {
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}
