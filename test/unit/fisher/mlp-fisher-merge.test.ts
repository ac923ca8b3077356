/**
 * Fisher merging against plain averaging on MLPs trained in the test (Matena & Raffel's setting):
 * two models fine-tuned from one "pretrained" model on different tasks; the merge weighted by
 * their Fisher (the paper's, expected over the model's own predictions) keeps more of both than
 * the average does. Also the empirical Fisher against finite-difference gradients on a tiny MLP.
 */
import { describe, expect, it } from 'vitest';
import { mlpFisher } from '../../../electron/engine/fisher/mlp-fisher.js';
import type { Dataset } from '../../../electron/engine/probe/mlp/csv-dataset.js';
import { mlpLoss } from '../../../electron/engine/probe/mlp/mlp-backprop.js';
import { cloneMlp, initMlp, type MlpParams } from '../../../electron/engine/probe/mlp/mlp-params.js';
import { adam } from '../../../electron/engine/probe/mlp/optimizers.js';
import { trainMlp } from '../../../electron/engine/probe/mlp/train-mlp.js';
import { makeRng } from '../../helpers/prng.js';
import { concatDatasets, randomCentres, sampleTask } from '../probe/mlp-tasks.js';
import { runFisher } from './run-fisher-kernel.js';

const SIZES = [8, 32, 32, 4];

function train(init: MlpParams, data: Dataset, seed: number, epochs: number, lr: number): MlpParams {
  const p = cloneMlp(init);
  trainMlp(p, data, { epochs, batchSize: 64, optimizer: adam({ lr }), uniform: makeRng(seed).uniform });
  return p;
}

function loss(p: MlpParams, d: Dataset): number {
  return mlpLoss(p, { x: d.features, labels: d.labels, n: d.n });
}

/** Per tensor: the Fisher merge of the two models (weights 1, 1). */
function fisherMerge(a: MlpParams, b: MlpParams, fa: Map<string, Float32Array>, fb: Map<string, Float32Array>): MlpParams {
  const out = cloneMlp(a);
  out.weights = a.weights.map((w, l) => runFisher([w, b.weights[l]], [fa.get(`layers.${l}.weight`)!, fb.get(`layers.${l}.weight`)!]));
  out.biases = a.biases.map((w, l) => runFisher([w, b.biases[l]], [fa.get(`layers.${l}.bias`)!, fb.get(`layers.${l}.bias`)!]));
  return out;
}

function average(a: MlpParams, b: MlpParams): MlpParams {
  const out = cloneMlp(a);
  out.weights = a.weights.map((w, l) => Float32Array.from(w, (v, k) => (v + b.weights[l][k]) / 2));
  out.biases = a.biases.map((w, l) => Float32Array.from(w, (v, k) => (v + b.biases[l][k]) / 2));
  return out;
}

describe('MLP: Fisher merging vs averaging', () => {
  it.each([30, 33])('seed %i: the Fisher merge has a lower loss on both tasks together than the plain average', (seed) => {
    const rng = makeRng(seed);
    // A "pretrained" model (task C), fine-tuned separately on two other tasks A and B.
    const centresC = randomCentres(rng, 4, 8);
    const centresA = randomCentres(rng, 4, 8);
    const centresB = randomCentres(rng, 4, 8);
    const pre = train(initMlp(SIZES, makeRng(seed).uniform), sampleTask(rng, centresC, 512), 2, 20, 3e-3);
    const taskA = sampleTask(rng, centresA, 256);
    const taskB = sampleTask(rng, centresB, 256);
    const mA = train(pre, taskA, 3, 40, 1e-3);
    const mB = train(pre, taskB, 4, 40, 1e-3);
    const both = concatDatasets(sampleTask(rng, centresA, 256), sampleTask(rng, centresB, 256));
    // Each model learned its own task (chance is ln 4 ≈ 1.39) and alone does badly on both.
    expect(loss(mA, taskA)).toBeLessThan(0.3);
    expect(loss(mB, taskB)).toBeLessThan(0.3);
    const fisher = loss(fisherMerge(mA, mB, mlpFisher(mA, taskA), mlpFisher(mB, taskB)), both);
    const avg = loss(average(mA, mB), both);
    console.log(`seed ${seed}: joint loss A ${loss(mA, both).toFixed(3)}, B ${loss(mB, both).toFixed(3)}, average ${avg.toFixed(3)}, Fisher ${fisher.toFixed(3)}`);
    expect(Math.min(loss(mA, both), loss(mB, both))).toBeGreaterThan(avg);
    expect(fisher).toBeLessThan(avg - 0.1);
  });

  it('estimates the mean squared per-sample gradient (checked by finite differences)', () => {
    const rng = makeRng(8);
    const p = initMlp([3, 4, 2], rng.uniform);
    p.biases = p.biases.map((b) => Float32Array.from(b, () => 0.1 * rng.normal()));
    const data = sampleTask(rng, randomCentres(rng, 2, 3), 5);
    const f = mlpFisher(p, data, { labels: 'data' });
    // d/dθ of each sample's loss by central differences in float64 over a float64 copy of the MLP.
    const names = [...f.keys()];
    for (const name of names) {
      const [, l, kind] = /layers\.(\d+)\.(weight|bias)/.exec(name)!;
      const arr = kind === 'weight' ? p.weights[Number(l)] : p.biases[Number(l)];
      for (let k = 0; k < arr.length; k++) {
        let sumSq = 0;
        for (let i = 0; i < data.n; i++) {
          const one = { x: data.features.subarray(i * 3, i * 3 + 3), labels: data.labels.subarray(i, i + 1), n: 1 };
          const h = 1e-3;
          const orig = arr[k];
          arr[k] = orig + h;
          const up = mlpLoss(p, one);
          arr[k] = orig - h;
          const down = mlpLoss(p, one);
          arr[k] = orig;
          sumSq += ((up - down) / (2 * h)) ** 2;
        }
        expect(f.get(name)![k], `${name}[${k}]`).toBeCloseTo(sumSq / data.n, 3);
      }
    }
  });
});
