/**
 * Forward and backward pass of the MLP classifier on a batch: logits, mean cross-entropy, and the
 * gradient of that mean with respect to every weight and bias (plain reverse-mode, float64 sums).
 */
import { crossEntropyRow } from '../math/cross-entropy.js';
import { linearTs } from '../math/matmul.js';
import type { MlpParams } from './mlp-params.js';

export interface Batch {
  /** [n, inputs] */
  x: Float32Array;
  labels: Int32Array;
  n: number;
}

export interface ForwardCache {
  /** acts[0] = x; acts[l] = relu(z_l) for hidden layers; the last entry is the logits. */
  acts: Float32Array[];
}

export function mlpForward(p: MlpParams, x: Float32Array, n: number): ForwardCache {
  const acts: Float32Array[] = [x];
  const L = p.weights.length;
  for (let l = 0; l < L; l++) {
    const y = new Float32Array(n * p.sizes[l + 1]);
    linearTs({ x: acts[l], rows: n, w: p.weights[l], outDim: p.sizes[l + 1], inDim: p.sizes[l], bias: p.biases[l], y });
    if (l < L - 1) for (let i = 0; i < y.length; i++) if (!(y[i] > 0)) y[i] = 0;
    acts.push(y);
  }
  return { acts };
}

/** Mean cross-entropy of the batch (nats). */
export function mlpLoss(p: MlpParams, b: Batch): number {
  const logits = mlpForward(p, b.x, b.n).acts.at(-1)!;
  const C = p.sizes[p.sizes.length - 1];
  let s = 0;
  for (let i = 0; i < b.n; i++) s += crossEntropyRow(logits, i * C, C, b.labels[i]);
  return s / b.n;
}

export interface Gradients {
  weights: Float64Array[];
  biases: Float64Array[];
  loss: number;
}

export function mlpGradients(p: MlpParams, b: Batch): Gradients {
  const { acts } = mlpForward(p, b.x, b.n);
  const L = p.weights.length;
  const C = p.sizes[L];
  const n = b.n;
  // dz for the logits: (softmax − onehot) / n
  let dz = new Float64Array(n * C);
  const logits = acts[L];
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const o = i * C;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[o + c]);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(logits[o + c] - max);
    loss += Math.log(sum) + max - logits[o + b.labels[i]];
    for (let c = 0; c < C; c++) dz[o + c] = Math.exp(logits[o + c] - max) / sum / n;
    dz[o + b.labels[i]] -= 1 / n;
  }
  const gw: Float64Array[] = new Array(L);
  const gb: Float64Array[] = new Array(L);
  for (let l = L - 1; l >= 0; l--) {
    const out = p.sizes[l + 1];
    const inp = p.sizes[l];
    const a = acts[l];
    const w = p.weights[l];
    const dW = new Float64Array(out * inp);
    const dB = new Float64Array(out);
    for (let i = 0; i < n; i++) {
      for (let o = 0; o < out; o++) {
        const g = dz[i * out + o];
        if (g === 0) continue;
        dB[o] += g;
        const row = o * inp;
        const ar = i * inp;
        for (let k = 0; k < inp; k++) dW[row + k] += g * a[ar + k];
      }
    }
    gw[l] = dW;
    gb[l] = dB;
    if (l > 0) {
      const next = new Float64Array(n * inp);
      for (let i = 0; i < n; i++) {
        for (let o = 0; o < out; o++) {
          const g = dz[i * out + o];
          if (g === 0) continue;
          const row = o * inp;
          for (let k = 0; k < inp; k++) next[i * inp + k] += g * w[row + k];
        }
        // ReLU: the gradient passes where the activation was positive.
        for (let k = 0; k < inp; k++) if (!(a[i * inp + k] > 0)) next[i * inp + k] = 0;
      }
      dz = next;
    }
  }
  return { weights: gw, biases: gb, loss: loss / n };
}
