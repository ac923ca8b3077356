/**
 * Re-Basin on MLP classifiers trained in the test (the probe's trainer): two models from different
 * initialisations are separated by a loss barrier along the straight line between them; aligning
 * the second onto the first lowers it (Ainsworth et al.'s result). And a randomly permuted MLP is
 * aligned back onto its original exactly.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpolationBarrier } from '../../../electron/engine/probe/barrier/interpolation-barrier.js';
import { datasetToCsv, type Dataset } from '../../../electron/engine/probe/mlp/csv-dataset.js';
import { mlpLoss } from '../../../electron/engine/probe/mlp/mlp-backprop.js';
import { cloneMlp, initMlp, writeMlpCheckpoint, type MlpParams } from '../../../electron/engine/probe/mlp/mlp-params.js';
import { adam } from '../../../electron/engine/probe/mlp/optimizers.js';
import { trainMlp } from '../../../electron/engine/probe/mlp/train-mlp.js';
import { alignCheckpoint } from '../../../electron/engine/rebasin/align-checkpoint.js';
import { readCheckpointRaw } from '../../helpers/read-checkpoint.js';
import { makeRng } from '../../helpers/prng.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { randomCentres, sampleTask } from '../probe/mlp-tasks.js';

afterAll(removeTempDirs);

const SIZES = [8, 64, 64, 4];

function train(init: MlpParams, data: Dataset, seed: number): MlpParams {
  const p = cloneMlp(init);
  trainMlp(p, data, { epochs: 40, batchSize: 64, optimizer: adam({ lr: 3e-3 }), uniform: makeRng(seed).uniform });
  return p;
}

let dir: string;
let evalSet: Dataset;
let m1: string;
let m2: string;
let params1: MlpParams;

beforeAll(async () => {
  const rng = makeRng(5);
  const centres = randomCentres(rng, 4, 8);
  const train1 = sampleTask(rng, centres, 512);
  evalSet = sampleTask(rng, centres, 512);
  params1 = train(initMlp(SIZES, makeRng(1).uniform), train1, 11);
  const params2 = train(initMlp(SIZES, makeRng(2).uniform), train1, 12);
  for (const p of [params1, params2]) expect(mlpLoss(p, { x: evalSet.features, labels: evalSet.labels, n: evalSet.n })).toBeLessThan(0.5);
  dir = await makeTempDir('mlp-align');
  m1 = join(dir, 'm1');
  m2 = join(dir, 'm2');
  await writeMlpCheckpoint(m1, params1);
  await writeMlpCheckpoint(m2, params2);
});

describe('MLP alignment', () => {
  it('lowers the interpolation barrier between independently trained models', async () => {
    const aligned = join(dir, 'm2-aligned');
    const res = await alignCheckpoint(m1, m2, aligned, { seed: 0 });
    expect(res.converged).toBe(true);
    const text = [{ name: 'eval.csv', text: datasetToCsv(evalSet) }];
    const before = await interpolationBarrier(m1, m2, text, { points: 11 });
    const after = await interpolationBarrier(m1, aligned, text, { points: 11 });
    // The endpoints are the same functions: permuting hidden units changes no prediction.
    expect(after.points[10].loss).toBeCloseTo(before.points[10].loss, 5);
    console.log(`barrier before ${before.barrier.toFixed(4)}, after ${after.barrier.toFixed(4)}`);
    expect(before.barrier).toBeGreaterThan(0.1);
    expect(after.barrier).toBeLessThan(0.5 * before.barrier);
  });

  it('aligns a randomly permuted copy back onto the original exactly', async () => {
    const rng = makeRng(9);
    const perm = (n: number) => {
      const p = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [p[i], p[j]] = [p[j], p[i]];
      }
      return p;
    };
    // Hidden layer l's units permuted: rows of layer l (and its bias), columns of layer l + 1.
    const q = cloneMlp(params1);
    const hidden = SIZES.slice(1, -1).map(perm);
    hidden.forEach((p, l) => {
      const inDim = SIZES[l];
      q.weights[l] = Float32Array.from({ length: q.weights[l].length }, (_, i) => params1.weights[l][p[Math.floor(i / inDim)] * inDim + (i % inDim)]);
      q.biases[l] = Float32Array.from(p, (src) => params1.biases[l][src]);
    });
    hidden.forEach((p, l) => {
      const w = q.weights[l + 1];
      const cols = SIZES[l + 1];
      q.weights[l + 1] = Float32Array.from({ length: w.length }, (_, i) => w[Math.floor(i / cols) * cols + p[i % cols]]);
    });
    const permuted = join(dir, 'm1-permuted');
    await writeMlpCheckpoint(permuted, q);
    const out = join(dir, 'm1-realigned');
    await alignCheckpoint(m1, permuted, out);
    const want = await readCheckpointRaw(m1);
    const got = await readCheckpointRaw(out);
    for (const [name, t] of want) expect(Buffer.from(got.get(name)!.bytes).equals(Buffer.from(t.bytes)), name).toBe(true);
    expect(Buffer.from((await readCheckpointRaw(permuted)).get('layers.0.weight')!.bytes).equals(Buffer.from(want.get('layers.0.weight')!.bytes))).toBe(false);
  });
});
