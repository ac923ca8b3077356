/** MLP classifier: backward pass against finite differences, optimizers by hand, CSV parsing, probe loss from files. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeLoss } from '../../../electron/engine/probe/probe-loss.js';
import { parseCsvDataset } from '../../../electron/engine/probe/mlp/csv-dataset.js';
import { mlpGradients, mlpLoss, type Batch } from '../../../electron/engine/probe/mlp/mlp-backprop.js';
import { initMlp, writeMlpCheckpoint, type MlpParams } from '../../../electron/engine/probe/mlp/mlp-params.js';
import { adam, sgd } from '../../../electron/engine/probe/mlp/optimizers.js';
import { makeRng } from '../../helpers/prng.js';
import { writeHfCheckpoint } from '../../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

function batch(seed: number, n: number, dims: number, classes: number): Batch {
  const rng = makeRng(seed);
  return { x: rng.floats(n * dims), labels: Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * classes)), n };
}

describe('MLP backward pass', () => {
  it('matches central finite differences of the loss', () => {
    const p = initMlp([5, 7, 6, 3], makeRng(3).uniform);
    p.biases.forEach((b, l) => b.set(makeRng(10 + l).floats(b.length, 0.1)));
    const b = batch(4, 9, 5, 3);
    const g = mlpGradients(p, b);
    expect(g.loss).toBeCloseTo(mlpLoss(p, b), 6);
    const h = 1e-3;
    const probe = (arr: Float32Array, i: number): number => {
      const keep = arr[i];
      arr[i] = keep + h;
      const up = mlpLoss(p, b);
      arr[i] = keep - h;
      const down = mlpLoss(p, b);
      arr[i] = keep;
      return (up - down) / (2 * h);
    };
    let checked = 0;
    for (let l = 0; l < 3; l++) {
      for (let i = 0; i < p.weights[l].length; i += 3) {
        expect(g.weights[l][i]).toBeCloseTo(probe(p.weights[l], i), 3);
        checked++;
      }
      for (let i = 0; i < p.biases[l].length; i++) expect(g.biases[l][i]).toBeCloseTo(probe(p.biases[l], i), 3);
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('optimizers', () => {
  const one = (): MlpParams => ({ weights: [Float32Array.from([1, -2])], biases: [Float32Array.from([0.5])], sizes: [2, 1] });
  const grad = { weights: [Float64Array.from([0.5, -1])], biases: [Float64Array.from([2])], loss: 0 };

  it('SGD with momentum: w ← w − lr·v, v ← μ·v + g', () => {
    const p = one();
    const o = sgd({ lr: 0.1, momentum: 0.9 });
    o.step(p, grad);
    expect([...p.weights[0]]).toEqual([Math.fround(0.95), Math.fround(-1.9)]);
    o.step(p, grad); // v = 1.9·g
    expect(p.weights[0][0]).toBeCloseTo(0.95 - 0.1 * 1.9 * 0.5, 6);
    expect(p.biases[0][0]).toBeCloseTo(0.5 - 0.1 * 2 - 0.1 * 1.9 * 2, 6);
  });

  it('Adam: the first step moves every parameter by lr against the sign of its gradient', () => {
    const p = one();
    adam({ lr: 0.01 }).step(p, grad);
    expect(p.weights[0][0]).toBeCloseTo(0.99, 6);
    expect(p.weights[0][1]).toBeCloseTo(-1.99, 6);
    expect(p.biases[0][0]).toBeCloseTo(0.49, 6);
  });
});

describe('CSV data sets', () => {
  it('reads features and the label in the last column, skipping a header', () => {
    const d = parseCsvDataset('x1,x2,label\n0.5,-1,2\n\n3,4,0\n', 'd.csv');
    expect(d.n).toBe(2);
    expect(d.dims).toBe(2);
    expect([...d.features]).toEqual([0.5, -1, 3, 4]);
    expect([...d.labels]).toEqual([2, 0]);
  });

  it('names the file and line of a bad row', () => {
    expect(() => parseCsvDataset('1,2,0\n1,2\n', 'd.csv')).toThrow(/d\.csv: line 2 has 2 columns/);
    expect(() => parseCsvDataset('1,2,0.5\n', 'd.csv')).toThrow(/d\.csv: line 1: the label 0.5/);
    expect(() => parseCsvDataset('1,x,0\n2,2,1\n3,y,0\n', 'd.csv')).toThrow(/d\.csv: line 3/);
  });
});

describe('probeLoss on an MLP checkpoint', () => {
  it('equals the in-memory mean cross-entropy, with nn.Sequential numbering (layers.0, layers.2)', async () => {
    const p = initMlp([3, 4, 2], makeRng(5).uniform);
    p.biases[0].set([0.1, -0.2, 0.3, 0]);
    const dir = await makeTempDir('mlp');
    await writeHfCheckpoint(dir, [
      { name: 'layers.0.weight', shape: [4, 3], values: p.weights[0] },
      { name: 'layers.0.bias', shape: [4], values: p.biases[0] },
      { name: 'layers.2.weight', shape: [2, 4], values: p.weights[1] },
      { name: 'layers.2.bias', shape: [2], values: p.biases[1] },
    ]);
    const text = '1,2,3,0\n-1,0.5,2,1\n0,0,0,1\n';
    const expected = mlpLoss(p, { x: Float32Array.from([1, 2, 3, -1, 0.5, 2, 0, 0, 0]), labels: Int32Array.from([0, 1, 1]), n: 3 });
    const r = await probeLoss(dir, [{ name: 'd.csv', text }]);
    expect(r.tokens).toBe(3);
    expect(r.loss).toBeCloseTo(expected, 10);
    // and with the writer of the trainer
    const dir2 = await makeTempDir('mlp2');
    await writeMlpCheckpoint(dir2, p);
    expect((await probeLoss(dir2, [{ name: 'd.csv', text }])).loss).toBeCloseTo(expected, 10);
    await writeFile(join(dir2, 'bad.csv'), '1,2,0\n');
    await expect(probeLoss(dir2, [{ name: 'bad.csv', text: '1,2,0\n' }])).rejects.toThrow(/bad\.csv: 2 features per sample, the model takes 3/);
  });
});
