/**
 * Diagnostics' "fraction kept by trimming or DARE": per model, the share of its non-zero task-vector
 * coordinates that survive. Checked against hand-computed counts (TIES keeps ⌊d·n⌋, breadcrumbs
 * its rank band, sce its variance mask), a binomial bound (DARE), and, independently of the
 * diagnostics code, against what the kernel itself wrote (one model on a zero base: the output's
 * non-zero entries are exactly the survivors).
 */
import { describe, expect, it } from 'vitest';
import type { MethodId, ResolvedParams } from '../../../common/methods/types.js';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { keepRulesFor } from '../../../electron/engine/diagnostics/keep-rules.js';
import { KeptCounter } from '../../../electron/engine/diagnostics/kept-counter.js';
import { addSums, finishStats, measureRange, type MergeStats } from '../../../electron/engine/diagnostics/merge-stats.js';
import { ArrayStream } from '../../../electron/engine/methods/memory-stream.js';
import { runMethod, withDefaults } from '../methods/harness.js';

const NAME = 'model.layers.2.mlp.down_proj.weight';

interface Case {
  method: MethodId;
  base: Float32Array;
  models: Float32Array[];
  modelParams?: ResolvedParams[];
  global?: ResolvedParams;
  shape?: number[];
  seed?: number;
  chunk?: number;
  /** Measure as consecutive ranges of these lengths (a split tensor), summed like the run does. */
  ranges?: number[];
}

function measure(c: Case): MergeStats {
  const be = new TsBackend();
  const n = c.base.length;
  const modelParams = c.models.map((_, i) => withDefaults(c.method, 'model', c.modelParams?.[i]));
  const global = withDefaults(c.method, 'global', c.global);
  const { out } = runMethod(c.method, { base: c.base, models: c.models, modelParams, global, shape: c.shape, name: NAME, seed: c.seed });
  const rules = keepRulesFor({ method: c.method, modelParams, global, numel: n });
  const chunk = c.chunk ?? 4096;
  const lengths = c.ranges ?? [n];
  let start = 0;
  let total;
  for (const len of lengths) {
    const slice = (x: Float32Array) => new ArrayStream(x.slice(start, start + len));
    const counter = rules
      ? new KeptCounter(be, rules, { name: NAME, shape: c.shape ?? [n], count: len, offset: start, seed: c.seed ?? 0, chunk })
      : undefined;
    const sums = measureRange(
      be,
      counter?.unit ?? chunk,
      c.models.map(slice),
      slice(c.base),
      slice(out),
      len,
      rules && counter ? { rules, counter, offset: start } : undefined,
    );
    total = total ? addSums(total, sums) : sums;
    start += len;
  }
  return finishStats(total!);
}

/** Distinct non-zero magnitudes, shuffled signs: |δ_j| = (j + 1)·0.001 in a scrambled order. */
function distinct(n: number, salt: number): Float32Array {
  const x = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const p = (j * 7919 + salt * 104729) % n;
    x[p] = (j + 1) * 0.001 * (p % 3 === 0 ? -1 : 1);
  }
  return x;
}

/** Non-zero entries of the output of a one-model merge on a zero base: the coordinates that survived. */
function kernelSurvivors(method: MethodId, delta: Float32Array, modelParams: ResolvedParams, global: ResolvedParams = {}, shape?: number[], seed = 0): number {
  const { out } = runMethod(method, { base: new Float32Array(delta.length), models: [delta], modelParams: [modelParams], global, shape, name: NAME, seed });
  return out.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
}

describe('fraction kept by trimming or dropping', () => {
  it('TIES density 0.3 on 1000 distinct |δ| keeps exactly ⌊0.3·1000⌋ = 300 of each model', () => {
    const n = 1000;
    const base = new Float32Array(n).fill(0.5);
    const onBase = (d: Float32Array) => d.map((v) => v + 0.5);
    const s = measure({ method: 'ties', base, models: [onBase(distinct(n, 1)), onBase(distinct(n, 2))], modelParams: [{ weight: 1, density: 0.3 }, { weight: 1, density: 0.3 }] });
    expect(s.taskNonzero).toEqual([1000, 1000]);
    expect(s.taskKept).toEqual([300, 300]);
    expect(s.keptFraction).toEqual([0.3, 0.3]);
  });

  it('TIES counts only non-zero coordinates: 700 non-zero of 1000 at density 0.5 keeps all 500 of the top ranks; at 0.9, all 700', () => {
    const n = 1000;
    const d = distinct(n, 3);
    for (let j = 0; j < 300; j++) d[j * 3 + 1] = 0; // 300 zeros
    const s = measure({ method: 'ties', base: new Float32Array(n), models: [d, d], modelParams: [{ weight: 1, density: 0.5 }, { weight: 1, density: 0.9 }] });
    expect(s.taskNonzero).toEqual([700, 700]);
    expect(s.taskKept).toEqual([500, 700]);
    expect(s.keptFraction![0]).toBeCloseTo(500 / 700, 12);
    expect(s.keptFraction![1]).toBe(1);
    // The kernel agrees: one model on a zero base writes exactly its survivors.
    expect(kernelSurvivors('ties', d, { weight: 1, density: 0.5 })).toBe(500);
  });

  it('density 1 keeps every non-zero coordinate', () => {
    const n = 500;
    const d = distinct(n, 4);
    d.fill(0, 0, 100);
    for (const method of ['ties', 'dare_linear', 'breadcrumbs'] as const) {
      const s = measure({ method, base: new Float32Array(n), models: [d], modelParams: [{ weight: 1, density: 1, gamma: 0 }] });
      expect(s.taskKept, method).toEqual([400]);
      expect(s.keptFraction, method).toEqual([1]);
    }
  });

  it('breadcrumbs keeps its rank band [γn, γn + ⌊d·n⌋): density 0.5, gamma 0.1 on 1000 → 500; with 550 non-zero → 450', () => {
    const n = 1000;
    const full = distinct(n, 5);
    const sparse = distinct(n, 6);
    // Zero the 450 smallest magnitudes: |δ| = (j+1)·0.001 ≤ 0.450.
    for (let j = 0; j < n; j++) if (Math.abs(sparse[j]) <= 0.4505) sparse[j] = 0;
    const params = { weight: 1, density: 0.5, gamma: 0.1 };
    const s = measure({ method: 'breadcrumbs', base: new Float32Array(n), models: [full, sparse], modelParams: [params, params] });
    expect(s.taskNonzero).toEqual([1000, 550]);
    expect(s.taskKept).toEqual([500, 450]);
    expect(kernelSurvivors('breadcrumbs', sparse, params)).toBe(450);
  });

  it('DARE density p keeps a fraction within 5σ of p, the exact survivors the kernel writes, whether or not the tensor is split', () => {
    const n = 100_000;
    const p = 0.3;
    const d = new Float32Array(n).fill(0.25);
    const params = { weight: 1, density: p };
    const whole = measure({ method: 'dare_linear', base: new Float32Array(n), models: [d], modelParams: [params], seed: 1234 });
    const sigma = Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(whole.keptFraction![0]! - p)).toBeLessThan(5 * sigma);
    expect(whole.taskKept![0]).toBe(kernelSurvivors('dare_linear', d, params, {}, undefined, 1234));
    const split = measure({ method: 'dare_linear', base: new Float32Array(n), models: [d], modelParams: [params], seed: 1234, ranges: [40_960, 30_000, 29_040] });
    expect(split.taskKept).toEqual(whole.taskKept);
  });

  it('DELLA keeps about its density, exactly the survivors the kernel writes', () => {
    const rows = 64;
    const cols = 512;
    const d = distinct(rows * cols, 7);
    const params = { weight: 1, density: 0.4, epsilon: 0.1 };
    const s = measure({ method: 'della_linear', base: new Float32Array(rows * cols), models: [d], modelParams: [params], shape: [rows, cols], seed: 99, chunk: 4096 });
    expect(s.taskKept![0]).toBe(kernelSurvivors('della_linear', d, params, {}, [rows, cols], 99));
    // Mean keep probability over a row is the density: 5σ of a binomial count.
    expect(Math.abs(s.keptFraction![0]! - 0.4)).toBeLessThan(5 * Math.sqrt((0.4 * 0.6) / (rows * cols)));
  });

  it('sce keeps the top ⌊select_topk·count_nonzero(v)⌋ variances for every model (hand-computed)', () => {
    // τ_A = [1, 2, 0, 4], τ_B = [1, 0, 3, 0]: v = ((a − b)/2)² = [0, 1, 2.25, 4]; 3 non-zero, k = ⌊0.67·3⌋ = 2 keeps j = 3, 2.
    // A's non-zero {0, 1, 3} keep {3}: 1/3. B's non-zero {0, 2} keep {2}: 1/2.
    const s = measure({
      method: 'sce',
      base: new Float32Array(4).fill(1),
      models: [Float32Array.from([2, 3, 1, 5]), Float32Array.from([2, 1, 4, 1])],
      global: { select_topk: 0.67 },
    });
    expect(s.taskNonzero).toEqual([3, 2]);
    expect(s.taskKept).toEqual([1, 1]);
    expect(s.keptFraction![0]).toBeCloseTo(1 / 3, 12);
    expect(s.keptFraction![1]).toBe(0.5);
  });

  it('is not reported for methods that neither trim nor drop', () => {
    const n = 64;
    const s = measure({ method: 'task_arithmetic', base: new Float32Array(n), models: [distinct(n, 8), distinct(n, 9)], modelParams: [{ weight: 1 }, { weight: 1 }] });
    expect(s.taskKept).toBeNull();
    expect(s.keptFraction).toBeNull();
    expect(s.taskNonzero).toEqual([64, 64]);
  });
});
