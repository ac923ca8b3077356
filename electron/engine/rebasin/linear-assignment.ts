/**
 * Exact linear assignment (maximum total score) through the `munkres` package (Hungarian
 * algorithm, O(n³), typed-array rows): a maintained solver, as the team prefers to hand-written code.
 */
import { munkres } from 'munkres';

/** perm[i] = the column assigned to row i, maximising Σ_i score[i·n + perm[i]] (score is n×n, row-major). */
export function maximizeAssignment(score: Float64Array, n: number): Int32Array {
  if (score.length !== n * n) throw new Error(`score matrix has ${score.length} entries, ${n}×${n} expected`);
  const perm = new Int32Array(n);
  if (n === 0) return perm;
  if (n === 1) return perm;
  let max = -Infinity;
  for (let i = 0; i < score.length; i++) {
    if (!Number.isFinite(score[i])) throw new Error('score matrix has a non-finite entry');
    if (score[i] > max) max = score[i];
  }
  // Costs max − score are ≥ 0: minimising them maximises the score.
  const cost: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(n);
    for (let j = 0; j < n; j++) row[j] = max - score[i * n + j];
    cost.push(row);
  }
  perm.fill(-1);
  for (const [row, col] of munkres(cost)) perm[row] = col;
  if (perm.some((c) => c < 0)) throw new Error('the assignment solver left a row unassigned');
  return perm;
}

/** Σ_i score[i·n + perm[i]] (float64). */
export function assignmentValue(score: Float64Array, n: number, perm: Int32Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += score[i * n + perm[i]];
  return s;
}
