/** DARE and DELLA randomness: the spec's counter-based hash exactly, and the statistics of the masks. */
import { describe, expect, it } from 'vitest';
import { fmix32, fnv1a32 } from '../../../../electron/engine/backend/float-bits.js';
import { dellaKeepProbability } from '../../../../electron/engine/methods/task-vector/della-drop.js';
import { runMethod } from '../harness.js';
import { randomVector } from './helpers.js';

const N = 1 << 20;
const NAME = 'model.layers.3.self_attn.q_proj.weight';

describe('DARE mask', () => {
  it('is the spec hash: key = fmix32(seed ^ fmix32(fnv1a32(name) ^ 0x9E3779B9·(i+1))), keep when fmix32(j ^ key) < ⌊d·2^32⌋', () => {
    const n = 10000;
    const seed = 0xdeadbeef;
    const d = 0.3;
    const ones = new Array(n).fill(1);
    const { out } = runMethod('dare_linear', {
      name: NAME,
      seed,
      base: new Array(n).fill(0),
      models: [ones, ones],
      modelParams: [{ weight: 1, density: d }, { weight: 2, density: d }],
      global: { rescale: false },
    });
    const keys = [0, 1].map((i) => fmix32((seed ^ fmix32((fnv1a32(NAME) ^ Math.imul(0x9e3779b9, i + 1)) >>> 0)) >>> 0));
    const threshold = Math.floor(d * 2 ** 32);
    const kept = (i: number, j: number) => (fmix32((j ^ keys[i]) >>> 0) < threshold ? 1 : 0);
    const expected = Array.from({ length: n }, (_, j) => kept(0, j) + 2 * kept(1, j));
    expect(Array.from(out)).toEqual(expected);
  });

  it('keeps a fraction within 4σ of d over 1M elements, and a different seed or model gives a different mask', () => {
    const d = 0.3;
    const run = (seed: number) =>
      runMethod('dare_linear', {
        name: NAME,
        seed,
        base: new Float32Array(N),
        models: [new Float32Array(N).fill(1)],
        modelParams: [{ weight: 1, density: d }],
        global: { rescale: false },
        chunk: 1 << 16,
      }).out;
    const a = run(0);
    const keptA = a.reduce((s, v) => s + v, 0);
    expect(Math.abs(keptA / N - d)).toBeLessThan(4 * Math.sqrt((d * (1 - d)) / N));
    const b = run(1);
    const both = a.reduce((s, v, j) => s + v * b[j], 0);
    // Independent masks overlap on about d² of the entries (not d, as identical masks would).
    expect(Math.abs(both / N - d * d)).toBeLessThan(4 * Math.sqrt((d * d * (1 - d * d)) / N));
  });

  it('with inverse rescale, the mean of the output delta is within 4σ of the mean of δ', () => {
    const d = 0.2;
    const delta = randomVector(N, 77, 1).map((v) => v + 0.3);
    const { out } = runMethod('dare_linear', {
      name: NAME,
      base: new Float32Array(N),
      models: [delta],
      modelParams: [{ weight: 1, density: d }],
      global: { rescale: true, rescale_norm: 'inverse' },
      chunk: 1 << 16,
    });
    let meanOut = 0, meanDelta = 0, sq = 0;
    for (let j = 0; j < N; j++) {
      meanOut += out[j];
      meanDelta += delta[j];
      sq += delta[j] * delta[j];
    }
    meanOut /= N;
    meanDelta /= N;
    // Var(δ·B/d) = δ²(1 − d)/d per entry.
    const sigma = Math.sqrt((sq * (1 - d)) / d) / N;
    expect(Math.abs(meanOut - meanDelta)).toBeLessThan(4 * sigma);
    expect(Math.abs(meanOut - meanDelta)).toBeGreaterThan(0);
  });
});

describe('DELLA mask', () => {
  const rows = 256;
  const m = N / rows;
  const d = 0.4;
  const eps = 0.15;

  it('keeps a fraction within 4σ of d, larger magnitudes more often', () => {
    const delta = randomVector(N, 5, 1);
    const { out } = runMethod('della_linear', {
      name: NAME,
      base: new Float32Array(N),
      models: [delta],
      shape: [rows, m],
      modelParams: [{ weight: 1, density: d, epsilon: eps }],
      global: { rescale: false },
      chunk: 1 << 16,
    });
    let kept = 0, keptBig = 0, big = 0, variance = 0;
    for (let r = 1; r <= m; r++) {
      const p = dellaKeepProbability(d, eps, r, m);
      variance += rows * p * (1 - p);
    }
    for (let j = 0; j < N; j++) {
      const k = out[j] !== 0 ? 1 : 0;
      kept += k;
      if (Math.abs(delta[j]) > 0.5) {
        big++;
        keptBig += k;
      }
    }
    expect(Math.abs(kept - d * N)).toBeLessThan(4 * Math.sqrt(variance));
    // Entries above the median magnitude have mean p ≈ d + ε/2.
    expect(keptBig / big).toBeGreaterThan(d + eps / 2 - 0.01);
  });

  it('with inverse rescale (1/p per entry), the mean of the output delta is within 4σ of the mean of δ', () => {
    const delta = randomVector(N, 6, 1).map((v) => v + 0.2);
    const { out } = runMethod('della_linear', {
      name: NAME,
      base: new Float32Array(N),
      models: [delta],
      shape: [rows, m],
      modelParams: [{ weight: 1, density: d, epsilon: eps }],
      global: { rescale: true, rescale_norm: 'inverse' },
      chunk: 1 << 16,
    });
    let meanOut = 0, meanDelta = 0, bound = 0;
    for (let j = 0; j < N; j++) {
      meanOut += out[j];
      meanDelta += delta[j];
      // Var(δ·B/p) = δ²(1 − p)/p ≤ δ²(1 − p_min)/p_min.
      bound += (delta[j] * delta[j] * (1 - (d - eps))) / (d - eps);
    }
    expect(Math.abs(meanOut - meanDelta) / N).toBeLessThan((4 * Math.sqrt(bound)) / N);
  });
});
