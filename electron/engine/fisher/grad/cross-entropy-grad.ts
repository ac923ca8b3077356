/** Next-token cross-entropy of one logits row and its gradient: d/dlogits (−log softmax[target]) = softmax − onehot. */
import type { Vec } from './vec.js';

/** Returns −log p(target); writes the gradient into dlogits[offset ..]. */
export function crossEntropyWithGrad(logits: Vec, offset: number, vocab: number, target: number, dlogits: Vec): number {
  let max = -Infinity;
  for (let i = 0; i < vocab; i++) if (logits[offset + i] > max) max = logits[offset + i];
  let sum = 0;
  for (let i = 0; i < vocab; i++) sum += Math.exp(logits[offset + i] - max);
  for (let i = 0; i < vocab; i++) dlogits[offset + i] = Math.exp(logits[offset + i] - max) / sum;
  dlogits[offset + target] -= 1;
  return Math.log(sum) + max - logits[offset + target];
}
