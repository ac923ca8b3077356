/**
 * model_stock (spec §3): from the Gram matrix of the task vectors δ_i, cos θ = mean over pairs
 * i < j of ⟨δ_i, δ_j⟩ / max(‖δ_i‖‖δ_j‖, 1e-6) (each clamped to [−1, 1] as mergekit does), and
 * t = N·cos θ / (1 + (N − 1)·cos θ). out = t·mean(x_i) + (1 − t)·b.
 */
import type { Gram } from './gram.js';

const NORM_PRODUCT_FLOOR = 1e-6;

export type ModelStockRatio = { kind: 'ratio'; t: number; cos: number } | { kind: 'degenerate'; cos: number };

export function modelStockRatio(g: Gram): ModelStockRatio {
  const n = g.length;
  const norms = g.map((row, i) => Math.sqrt(Math.max(0, row[i])));
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const c = g[i][j] / Math.max(norms[i] * norms[j], NORM_PRODUCT_FLOOR);
      sum += Math.min(1, Math.max(-1, c));
      pairs++;
    }
  }
  const cos = sum / pairs;
  const denominator = 1 + (n - 1) * cos;
  if (denominator === 0) return { kind: 'degenerate', cos };
  return { kind: 'ratio', t: (n * cos) / denominator, cos };
}

/** Coefficients on [x_1, ..., x_N, b]: t/N for every model, then 1 − t for the base. */
export function modelStockCoefficients(t: number, n: number): number[] {
  return [...new Array<number>(n).fill(t / n), 1 - t];
}
