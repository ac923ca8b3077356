/**
 * Synthetic classification tasks for the MLP tests: points in R^d labelled by the nearest of C
 * class centres; a "related" task moves the centres a little.
 */
import type { Dataset } from '../../../electron/engine/probe/mlp/csv-dataset.js';
import type { Rng } from '../../helpers/prng.js';

export function randomCentres(rng: Rng, classes: number, dims: number, scale = 1.5): number[][] {
  return Array.from({ length: classes }, () => Array.from({ length: dims }, () => scale * rng.normal()));
}

export function shiftCentres(rng: Rng, centres: number[][], amount: number): number[][] {
  return centres.map((c) => c.map((v) => v + amount * rng.normal()));
}

/** n samples: a random centre plus N(0, noise²) per coordinate, labelled by the nearest centre. */
export function sampleTask(rng: Rng, centres: number[][], n: number, noise = 1): Dataset {
  const dims = centres[0].length;
  const features = new Float32Array(n * dims);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = centres[Math.floor(rng.uniform() * centres.length)];
    const x = c.map((v) => v + noise * rng.normal());
    features.set(x, i * dims);
    let best = 0;
    let bestD = Infinity;
    centres.forEach((cc, k) => {
      const d = cc.reduce((s, v, j) => s + (v - x[j]) ** 2, 0);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    });
    labels[i] = best;
  }
  return { features, labels, n, dims };
}

export function concatDatasets(a: Dataset, b: Dataset): Dataset {
  const features = new Float32Array(a.features.length + b.features.length);
  features.set(a.features);
  features.set(b.features, a.features.length);
  const labels = new Int32Array(a.n + b.n);
  labels.set(a.labels);
  labels.set(b.labels, a.n);
  return { features, labels, n: a.n + b.n, dims: a.dims };
}
