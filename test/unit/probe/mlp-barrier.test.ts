/**
 * Linear mode connectivity, trained inside the test: two MLPs trained from one initialisation on
 * two related tasks are joined by a low loss barrier; a model from another initialisation is not.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { interpolationBarrier } from '../../../electron/engine/probe/barrier/interpolation-barrier.js';
import { datasetToCsv } from '../../../electron/engine/probe/mlp/csv-dataset.js';
import { mlpLoss } from '../../../electron/engine/probe/mlp/mlp-backprop.js';
import { cloneMlp, initMlp, writeMlpCheckpoint, type MlpParams } from '../../../electron/engine/probe/mlp/mlp-params.js';
import { adam } from '../../../electron/engine/probe/mlp/optimizers.js';
import { trainMlp } from '../../../electron/engine/probe/mlp/train-mlp.js';
import type { Dataset } from '../../../electron/engine/probe/mlp/csv-dataset.js';
import { makeRng } from '../../helpers/prng.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { concatDatasets, randomCentres, sampleTask, shiftCentres } from './mlp-tasks.js';

afterAll(removeTempDirs);

const SIZES = [8, 64, 64, 4];

function train(init: MlpParams, data: Dataset, seed: number): MlpParams {
  const p = cloneMlp(init);
  const rng = makeRng(seed);
  trainMlp(p, data, { epochs: 40, batchSize: 64, optimizer: adam({ lr: 3e-3 }), uniform: rng.uniform });
  return p;
}

describe('MLP barrier ordering (trained in the test)', () => {
  it('shared init + related tasks: low barrier; independent inits: high barrier', async () => {
    const rng = makeRng(11);
    const centresA = randomCentres(rng, 4, 8);
    const centresB = shiftCentres(rng, centresA, 0.3);
    const taskA = sampleTask(rng, centresA, 512);
    const taskB = sampleTask(rng, centresB, 512);
    const evalSet = concatDatasets(sampleTask(rng, centresA, 256), sampleTask(rng, centresB, 256));

    const init1 = initMlp(SIZES, makeRng(1).uniform);
    const init2 = initMlp(SIZES, makeRng(2).uniform);
    const m1 = train(init1, taskA, 101);
    const m2 = train(init1, taskB, 102);
    const m3 = train(init2, taskB, 103);
    // Each model learned its task (chance level is ln 4 ≈ 1.39).
    for (const m of [m1, m2, m3]) expect(mlpLoss(m, { x: evalSet.features, labels: evalSet.labels, n: evalSet.n })).toBeLessThan(0.5);

    const dir = await makeTempDir('mlp-lmc');
    const paths = await Promise.all(
      [m1, m2, m3].map(async (m, i) => {
        const d = join(dir, `m${i + 1}`);
        await writeMlpCheckpoint(d, m);
        return d;
      }),
    );
    const text = { name: 'eval.csv', text: datasetToCsv(evalSet) };
    const shared = await interpolationBarrier(paths[0], paths[1], [text], { points: 11 });
    const independent = await interpolationBarrier(paths[0], paths[2], [text], { points: 11 });
    console.log(`barrier: shared init ${shared.barrier.toFixed(4)}, independent inits ${independent.barrier.toFixed(4)}`);
    expect(independent.barrier).toBeGreaterThan(shared.barrier + 0.1);
    expect(independent.barrier).toBeGreaterThan(3 * Math.max(shared.barrier, 0.02));
  });
});
