/**
 * Gram matrices: all pairwise dot products of a few vectors, as float64 sums with the spec's
 * block rule (Backend.dotBlocks: blocks of 4096 elements from the vector's start, block sums added
 * in order). Interpolation methods derive their per-tensor (or per-row) coefficients from these,
 * so the vectors themselves never have to be held (see row-wise-merge.ts).
 */
import type { Backend } from '../../backend/types.js';

/** Symmetric K×K matrix of float64 dot products; g[i][j] = ⟨v_i, v_j⟩. */
export type Gram = number[][];

export function zeroGram(k: number): Gram {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}

/**
 * Adds the dot products of vecs[i][0..n) and vecs[j][0..n) to g (running totals). The slices must
 * start on a 4096-element block boundary of the vectors being reduced, so that accumulating piece
 * by piece gives the same bits as one call over the whole vector.
 */
export function accumulateGram(g: Gram, vecs: readonly Float32Array[], n: number, be: Backend): void {
  const k = vecs.length;
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const total = be.dotBlocks(vecs[i], vecs[j], n, g[i][j]);
      g[i][j] = total;
      g[j][i] = total;
    }
  }
}

/** (G·c)_i in float64, summed in index order. */
export function gramTimes(g: Gram, c: readonly number[]): number[] {
  return g.map((row) => {
    let s = 0;
    for (let j = 0; j < row.length; j++) s += row[j] * c[j];
    return s;
  });
}

/** ‖Σ c_i v_i‖ from the Gram matrix: sqrt(cᵀ G c), floored at 0 against rounding. */
export function combinationNorm(g: Gram, c: readonly number[]): number {
  const gc = gramTimes(g, c);
  let s = 0;
  for (let i = 0; i < c.length; i++) s += c[i] * gc[i];
  return Math.sqrt(Math.max(0, s));
}
