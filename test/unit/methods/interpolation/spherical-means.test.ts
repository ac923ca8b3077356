/**
 * multislerp and karcher against direct float64 implementations of the spec's formulas on whole
 * vectors (the kernels work on Gram matrices and coefficients instead), plus their properties.
 */
import { describe, expect, it } from 'vitest';
import { getKernel } from '../../../../electron/engine/methods/index.js';
import { KernelError } from '../../../../electron/engine/methods/kernel.js';
import { expectClose, runMethod } from '../harness.js';
import { expectNear, randomTensor } from './helpers.js';

type Vec = number[];
const dot = (a: Vec, b: Vec) => a.reduce((s, x, i) => s + x * b[i], 0);
const norm = (a: Vec) => Math.sqrt(dot(a, a));
const scale = (a: Vec, c: number) => a.map((x) => x * c);
const add = (a: Vec, b: Vec) => a.map((x, i) => x + b[i]);
const sub = (a: Vec, b: Vec) => a.map((x, i) => x - b[i]);
const zeros = (n: number) => new Array<number>(n).fill(0);

/** spec §3 multislerp, literally. */
function multislerpDirect(xs: Vec[], w0: number[], base?: Vec, eps = 1e-8): Vec {
  const X = base ? xs.map((x) => sub(x, base)) : xs;
  const sw = w0.reduce((s, w) => s + w, 0);
  const w = w0.map((x) => x / sw);
  const n = X.map(norm);
  const u = X.map((x, i) => scale(x, 1 / (n[i] + eps)));
  const m = u.reduce((acc, ui, i) => add(acc, scale(ui, w[i])), zeros(X[0].length));
  const mHat = scale(m, 1 / norm(m));
  const tau = u.reduce((acc, ui, i) => add(acc, scale(sub(ui, scale(mHat, dot(ui, mHat))), w[i])), zeros(X[0].length));
  const k = norm(tau) + eps;
  const s = w.reduce((acc, wi, i) => acc + wi * n[i], 0);
  const out = scale(add(scale(mHat, Math.cos(k)), scale(tau, Math.sin(k) / k)), s);
  return base ? add(out, base) : out;
}

/** spec §3 karcher, literally (all inputs valid). */
function karcherDirect(xs: Vec[], maxIter = 10, tol = 1e-5): Vec {
  const a = 1 / xs.length;
  const u = xs.map((x) => scale(x, 1 / norm(x)));
  let mean = u.reduce((acc, ui) => add(acc, scale(ui, a)), zeros(xs[0].length));
  mean = scale(mean, 1 / norm(mean));
  for (let it = 0; it < maxIter; it++) {
    let T = zeros(mean.length);
    for (const ui of u) {
      const c = Math.min(1, Math.max(-1, dot(ui, mean)));
      const th = Math.acos(c);
      if (th < tol) continue;
      T = add(T, scale(sub(ui, scale(mean, c)), (a * th) / Math.sin(th)));
    }
    const nt = norm(T);
    if (nt < tol) break;
    mean = add(scale(mean, Math.cos(nt)), scale(T, Math.sin(nt) / nt));
    mean = scale(mean, 1 / norm(mean));
  }
  return scale(mean, xs.reduce((s, x) => s + a * norm(x), 0));
}

const arr = (x: Float32Array) => Array.from(x);

describe('multislerp', () => {
  const xs = [randomTensor(3000, 21, 1, 0.2), randomTensor(3000, 22, 1, -0.1), randomTensor(3000, 23, 1)];
  const base = randomTensor(3000, 24, 0.5);

  it('matches the formula on whole vectors (three models, unequal weights)', () => {
    const w = [0.2, 0.5, 0.3];
    const { out } = runMethod('multislerp', { models: xs, modelParams: w.map((weight) => ({ weight })) });
    expectNear(out, multislerpDirect(xs.map(arr), w), 1e-5);
  });

  it('matches the formula on task vectors with a base', () => {
    const w = [1, 2, 1];
    const { out } = runMethod('multislerp', { base, models: xs, modelParams: w.map((weight) => ({ weight })) });
    expectNear(out, multislerpDirect(xs.map(arr), w, arr(base)), 1e-5);
  });

  it('weights (1, 0) return the first model up to rounding', () => {
    const { out } = runMethod('multislerp', { models: xs.slice(0, 2), modelParams: [{ weight: 1 }, { weight: 0 }] });
    expectNear(out, arr(xs[0]), 1e-6);
  });

  it('opposite inputs: two fall back to w1·X1 + w2·X2, three are an error naming the tensor', () => {
    // Unit vectors u and −u with equal weights: the mean of directions vanishes.
    const two = runMethod('multislerp', { models: [[1, 2], [-2, -4]], modelParams: [{ weight: 1 }, { weight: 1 }] }).out;
    expectClose(two, [-0.5, -1]); // 0.5·[1,2] + 0.5·[−2,−4]
    const run3 = () =>
      runMethod('multislerp', {
        models: [[1, 0], [-1, 0], [0, 0]],
        modelParams: [{ weight: 1 }, { weight: 1 }, { weight: 1 }],
        name: 'model.layers.3.mlp.up_proj.weight',
      });
    expect(run3).toThrow(KernelError);
    expect(run3).toThrow(/model\.layers\.3\.mlp\.up_proj\.weight/);
  });

  it('validation: weights summing to ~0 with normalize_weights', () => {
    const k = getKernel('multislerp');
    const v = (w: number[], normalize_weights: boolean) =>
      k.validate!({ modelParams: w.map((weight) => ({ weight })), global: { normalize_weights, eps: 1e-8 }, hasBase: false, numel: 4 });
    expect(v([1, -1], true).map((p) => p.param)).toEqual(['weight']);
    expect(v([1, -1], false)).toEqual([]);
    expect(v([1, 1], true)).toEqual([]);
  });
});

describe('karcher', () => {
  it('matches the iteration on whole vectors (three random models)', () => {
    const xs = [randomTensor(2000, 31, 1, 0.3), randomTensor(2000, 32, 2, 0.1), randomTensor(2000, 33, 0.5)];
    const { out } = runMethod('karcher', { models: xs });
    expectNear(out, karcherDirect(xs.map(arr)), 1e-5);
  });

  it('one direction twice returns it', () => {
    const x = randomTensor(5000, 34);
    expectNear(runMethod('karcher', { models: [x, x] }).out, arr(x), 1e-6);
  });

  it('averages the norms along the mean direction: [2,0] and [0,4] → 3·(√½, √½)', () => {
    expectClose(runMethod('karcher', { models: [[2, 0], [0, 4]] }).out, [3 * Math.SQRT1_2, 3 * Math.SQRT1_2]);
  });

  it('ignores inputs with norm ≤ tol (weights 1/N over the others)', () => {
    expectClose(runMethod('karcher', { models: [[0, 0, 0], [1, 2, 2]] }).out, [1, 2, 2]);
  });
});
