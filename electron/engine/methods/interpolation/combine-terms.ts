/**
 * The elementwise step shared by every Gram-based method: out = Σ c_k·v_k in float32, model order.
 */
import type { Backend } from '../../backend/types.js';

/**
 * acc[0..n) = Σ c_k·v_k over the terms whose coefficient, rounded to float32, is not zero: the
 * first term is c·v, each further one acc + c·v (Backend.scaleTo/axpy: rounded after every
 * operation, never fused). With `base`, the base is added back last (acc + b). With no
 * non-zero term the result is the base itself (or zeros without a base).
 *
 * Skipping zero coefficients is what makes "t = 0 gives the base" bit-exact: 0·x + y would turn a
 * −0 of y into +0 and an infinite x into NaN.
 */
export function combineInto(
  acc: Float32Array,
  vecs: readonly Float32Array[],
  coefs: readonly number[],
  base: Float32Array | undefined,
  n: number,
  be: Backend,
): void {
  let started = false;
  for (let k = 0; k < coefs.length; k++) {
    const c = Math.fround(coefs[k]);
    if (c === 0) continue;
    if (started) be.axpy(acc, c, vecs[k], n);
    else be.scaleTo(acc, c, vecs[k], n);
    started = true;
  }
  if (base) {
    if (started) be.add(acc, base, n);
    else acc.set(base.subarray(0, n));
  } else if (!started) {
    acc.fill(0, 0, n);
  }
}

/** Which terms combineInto will read: the ones with a non-zero float32 coefficient. */
export function nonZeroTerms(coefs: readonly number[]): boolean[] {
  return coefs.map((c) => Math.fround(c) !== 0);
}
