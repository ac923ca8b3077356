/**
 * The diagonal Fisher of the probe's MLP classifier on a data set, per weight and bias, named like
 * the checkpoint's tensors, through the probe's own backpropagation. `labels: 'model'` (default) is
 * the Fisher of Matena & Raffel: the mean over samples of E_{y ~ p(y|x)} (∇ log p(y|x))², exact
 * over the classes (one backward pass per class and sample). `labels: 'data'` is the empirical
 * Fisher: the squared gradient of log p(observed label | x), one backward pass per sample; it
 * vanishes where the model fits its data, which makes it a poor weighting for merging.
 */
import { CancelledError } from '../executor/cancel.js';
import type { Dataset } from '../probe/mlp/csv-dataset.js';
import { mlpForward, mlpGradients } from '../probe/mlp/mlp-backprop.js';
import type { MlpParams } from '../probe/mlp/mlp-params.js';

export interface FisherProgress {
  type: 'fisher';
  /** Samples (MLP) or windows (language model) done, of total. */
  done: number;
  total: number;
}

export interface EstimateOptions {
  signal?: AbortSignal;
  onProgress?: (e: FisherProgress) => void;
}

export interface MlpFisherOptions extends EstimateOptions {
  labels?: 'model' | 'data';
  /** Tensor names per layer (default layers.l.weight / layers.l.bias); a layer without a bias name gets no bias entry. */
  names?: readonly { weight: string; bias?: string }[];
}

function classProbabilities(p: MlpParams, x: Float32Array): { label: number; prob: number }[] {
  const logits = mlpForward(p, x, 1).acts.at(-1)!;
  const max = Math.max(...logits);
  const e = Array.from(logits, (v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v, label) => ({ label, prob: v / sum }));
}

/** Tensor name → Fisher. */
export function mlpFisher(p: MlpParams, data: Dataset, opts: MlpFisherOptions = {}): Map<string, Float32Array> {
  if (data.dims !== p.sizes[0]) throw new Error(`the data has ${data.dims} features, the MLP takes ${p.sizes[0]}`);
  const L = p.weights.length;
  const sw = p.weights.map((w) => new Float64Array(w.length));
  const sb = p.biases.map((b) => new Float64Array(b.length));
  const d = data.dims;
  for (let i = 0; i < data.n; i++) {
    if (opts.signal?.aborted) throw new CancelledError();
    const x = data.features.subarray(i * d, (i + 1) * d);
    const weighted = opts.labels === 'data' ? [{ label: data.labels[i], prob: 1 }] : classProbabilities(p, x);
    for (const { label, prob } of weighted) {
      const g = mlpGradients(p, { x, labels: Int32Array.of(label), n: 1 });
      for (let l = 0; l < L; l++) {
        for (let k = 0; k < sw[l].length; k++) sw[l][k] += prob * g.weights[l][k] * g.weights[l][k];
        for (let k = 0; k < sb[l].length; k++) sb[l][k] += prob * g.biases[l][k] * g.biases[l][k];
      }
    }
    if (opts.onProgress && (i % 64 === 63 || i === data.n - 1)) opts.onProgress({ type: 'fisher', done: i + 1, total: data.n });
  }
  const out = new Map<string, Float32Array>();
  for (let l = 0; l < L; l++) {
    const names = opts.names?.[l] ?? { weight: `layers.${l}.weight`, bias: `layers.${l}.bias` };
    out.set(names.weight, Float32Array.from(sw[l], (v) => v / data.n));
    if (names.bias !== undefined) out.set(names.bias, Float32Array.from(sb[l], (v) => v / data.n));
  }
  return out;
}

export const MLP_FISHER_ESTIMATOR: Record<'model' | 'data', string> = {
  model: 'Fisher of the model\'s predictive distribution: mean over samples of E_{y ~ p(y|x)} (∇ log p(y|x))², exact over the classes',
  data: 'empirical Fisher: mean over samples of the squared gradient of log p(observed label | x)',
};
