/** Mini-batch training of the MLP classifier (shuffled each epoch from a seeded uniform source). */
import type { Dataset } from './csv-dataset.js';
import { mlpGradients } from './mlp-backprop.js';
import type { MlpParams } from './mlp-params.js';
import type { Optimizer } from './optimizers.js';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: Optimizer;
  /** Uniform [0, 1) source for shuffling. */
  uniform: () => number;
  /** Called after each epoch with the mean training loss of its batches. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Trains `p` in place. */
export function trainMlp(p: MlpParams, data: Dataset, o: TrainOptions): void {
  const order = Int32Array.from({ length: data.n }, (_, i) => i);
  const d = data.dims;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = data.n - 1; i > 0; i--) {
      const j = Math.floor(o.uniform() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < data.n; start += o.batchSize) {
      const n = Math.min(o.batchSize, data.n - start);
      const x = new Float32Array(n * d);
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const s = order[start + i];
        x.set(data.features.subarray(s * d, s * d + d), i * d);
        labels[i] = data.labels[s];
      }
      const g = mlpGradients(p, { x, labels, n });
      o.optimizer.step(p, g);
      sum += g.loss;
      batches++;
    }
    o.onEpoch?.(epoch, sum / batches);
  }
}
