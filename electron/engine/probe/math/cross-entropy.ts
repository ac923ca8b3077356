/** Next-token cross-entropy from logits, computed stably (row max subtracted) in float64. */

/** −log softmax(logits[row])[target], for one row of `vocab` logits starting at `offset`. */
export function crossEntropyRow(logits: Float32Array, offset: number, vocab: number, target: number): number {
  if (!(target >= 0 && target < vocab)) throw new RangeError(`target token ${target} outside the vocabulary of ${vocab}`);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < vocab; i++) if (logits[offset + i] > max) max = logits[offset + i];
  let sum = 0;
  for (let i = 0; i < vocab; i++) sum += Math.exp(logits[offset + i] - max);
  return Math.log(sum) + max - logits[offset + target];
}
