/**
 * The loss barrier along a path (spec §5): the largest excess of the loss over the straight line
 * between the endpoint losses, max_j loss(λ_j) − ((1−λ_j)·loss(λ_0) + λ_j·loss(λ_{K−1})).
 */

/** λ_j = j/(K−1), j = 0..K−1 (K ≥ 2). */
export function lambdaPoints(k: number): number[] {
  if (!Number.isSafeInteger(k) || k < 2) throw new RangeError(`the number of points must be an integer ≥ 2 (got ${k})`);
  return Array.from({ length: k }, (_, j) => j / (k - 1));
}

/** Barrier height of losses at the points λ (λ_0 = 0 and λ_{K−1} = 1 are the endpoints). */
export function barrierHeight(lambdas: readonly number[], losses: readonly number[]): number {
  if (lambdas.length !== losses.length || lambdas.length < 2) throw new RangeError('barrierHeight needs at least 2 points, one loss per λ');
  const l0 = losses[0];
  const l1 = losses[losses.length - 1];
  let h = Number.NEGATIVE_INFINITY;
  lambdas.forEach((lam, j) => {
    const excess = losses[j] - ((1 - lam) * l0 + lam * l1);
    if (excess > h || Number.isNaN(excess)) h = excess;
  });
  return h;
}

export interface CurvePoint {
  lambda: number;
  loss: number;
}

export interface Curve {
  points: CurvePoint[];
  barrier: number;
}

export function curveOf(lambdas: readonly number[], losses: readonly number[]): Curve {
  return { points: lambdas.map((lambda, j) => ({ lambda, loss: losses[j] })), barrier: barrierHeight(lambdas, losses) };
}
