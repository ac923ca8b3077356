/** Exactness properties of the task-vector family: identities, bit-exact reductions, chunk and range independence, tie-breaking. */
import { describe, expect, it } from 'vitest';
import type { MethodId, ResolvedParams } from '../../../../common/methods/types.js';
import type { MaskSource } from '../../../../electron/engine/methods/kernel.js';
import { getKernel } from '../../../../electron/engine/methods/index.js';
import { expectClose, runMethod, withDefaults } from '../harness.js';
import { bf16, randomVector, runInRanges, sameBits } from './helpers.js';

const FAMILY = ['task_arithmetic', 'ties', 'dare_linear', 'dare_ties', 'breadcrumbs', 'breadcrumbs_ties', 'della', 'della_linear'] as const;

/** Three models with parameters that make every sparsifier work (densities < 1). */
const MODEL_PARAMS: ResolvedParams[] = [
  { weight: 0.7, density: 0.6, gamma: 0.05, epsilon: 0.1 },
  { weight: -0.4, density: 0.35, gamma: 0.02, epsilon: 0.2 },
  { weight: 1.1, density: 0.8, gamma: 0.01, epsilon: 0.15 },
];

function paramsFor(method: MethodId, weights?: number[]): ResolvedParams[] {
  const desc = withDefaults(method, 'model');
  return MODEL_PARAMS.map((p, i) => {
    const out: ResolvedParams = {};
    for (const key of Object.keys(desc)) if (key in p) out[key] = p[key];
    out.weight = weights ? weights[i] : p.weight;
    return out;
  });
}

function inputs(n: number, seed: number): { base: Float32Array; models: Float32Array[] } {
  const base = bf16(randomVector(n, seed, 0.05));
  const models = [1, 2, 3].map((k) => {
    const d = bf16(randomVector(n, seed + k, 0.01));
    return base.map((b, j) => b + d[j]);
  });
  return { base, models };
}

describe('identities', () => {
  const n = 5000;
  const { base, models } = inputs(n, 1);
  // Signed zero and a subnormal in the base: a naive b + 0·mixed would not return these bits.
  base[0] = -0;
  base[1] = -1e-40;

  it.each(FAMILY)('%s with λ = 0 returns the base bit-exactly', (method) => {
    const { out } = runMethod(method, { base, models, modelParams: paramsFor(method), global: { lambda: 0 } });
    expect(sameBits(out, base)).toBe(true);
  });

  it.each(FAMILY)('%s with every weight 0 returns the base bit-exactly', (method) => {
    const { out } = runMethod(method, { base, models, modelParams: paramsFor(method, [0, 0, 0]), global: { normalize: false } });
    expect(sameBits(out, base)).toBe(true);
  });

  it('ties with density 1, one model and normalize off equals task_arithmetic bit-exactly', () => {
    const { base: b, models: [x] } = inputs(20000, 2);
    const ta = runMethod('task_arithmetic', { base: b, models: [x], modelParams: [{ weight: 0.37 }], global: { lambda: 1.3 } });
    const ties = runMethod('ties', {
      base: b,
      models: [x],
      modelParams: [{ weight: 0.37, density: 1 }],
      global: { lambda: 1.3, normalize: false },
    });
    expect(sameBits(ties.out, ta.out)).toBe(true);
  });

  it.each(['inverse', 'l1', 'none'])('DARE at density 1 is a no-op: dare_linear equals task_arithmetic bit-exactly (rescale %s)', (rule) => {
    const { base: b, models: xs } = inputs(9000, 3);
    const weights = [0.5, -0.25, 1.5];
    const ta = runMethod('task_arithmetic', { base: b, models: xs, modelParams: weights.map((weight) => ({ weight })), global: { lambda: 0.8 } });
    const dare = runMethod('dare_linear', {
      base: b,
      models: xs,
      modelParams: weights.map((weight) => ({ weight, density: 1 })),
      global: { lambda: 0.8, rescale: true, rescale_norm: rule },
    });
    expect(sameBits(dare.out, ta.out)).toBe(true);
    // dare_ties at density 1 is ties at density 1 (the same election, nothing dropped).
    const mp = weights.map((weight) => ({ weight, density: 1 }));
    const dt = runMethod('dare_ties', { base: b, models: xs, modelParams: mp, global: { rescale: true, rescale_norm: rule } });
    const t = runMethod('ties', { base: b, models: xs, modelParams: mp, global: { normalize: false } });
    expect(sameBits(dt.out, t.out)).toBe(true);
  });

  it('negation: task_arithmetic with weight −1 subtracts the task vector', () => {
    const { out } = runMethod('task_arithmetic', { base: [1, 2], models: [[3, 1]], modelParams: [{ weight: -1 }] });
    expectClose(out, [-1, 3]);
  });

  it('sce with one model and select_topk < 1 (zero variance everywhere) returns the base', () => {
    const { base: b, models: [x] } = inputs(3000, 4);
    const { out } = runMethod('sce', { base: b, models: [x], global: { select_topk: 0.5 } });
    expect(sameBits(out, b)).toBe(true);
  });
});

describe('same bits whatever the chunking', () => {
  // Rows of 333 (not dividing a chunk) and rows of 5000 (longer than a 4096 chunk) for DELLA.
  const cases: [string, number[]][] = [
    ['rows of 333', [37, 333]],
    ['rows of 5000', [3, 5000]],
  ];
  for (const [label, shape] of cases) {
    const n = shape[0] * shape[1];
    const { base, models } = inputs(n, 10 + shape[1]);
    const chunks = [4096, 8192, Math.ceil(n / 4096) * 4096];
    const variants: [MethodId, ResolvedParams][] = [
      ...FAMILY.map((m): [MethodId, ResolvedParams] => [m, {}]),
      ['ties', { rescale: true }],
      ['breadcrumbs_ties', { rescale: true, consensus: 'count' }],
      ['dare_ties', { rescale_norm: 'l1' }],
      ['della', { rescale_norm: 'l1' }],
      ['della_linear', { rescale: false }],
      ['sce', { select_topk: 0.3 }],
    ];
    it.each(variants)(`%s %o (${label})`, (method, global) => {
      const outs = chunks.map(
        (chunk) => runMethod(method, { base, models, shape, modelParams: method === 'sce' ? undefined : paramsFor(method), global, chunk, seed: 42 }).out,
      );
      expect(outs[0].some((v, j) => v !== base[j])).toBe(true);
      for (const o of outs.slice(1)) expect(sameBits(o, outs[0])).toBe(true);
    });
  }
});

describe('splitting into ranges with an offset', () => {
  const n = 3 * 4096 + 1000;
  const { base, models } = inputs(n, 20);
  it.each([
    ['dare_linear', { rescale: true, rescale_norm: 'inverse' }],
    ['dare_ties', { rescale: false }],
    ['ties', {}],
  ] as [MethodId, ResolvedParams][])('%s %o: whole tensor and ranges give the same bits', (method, global) => {
    const mp = method === 'ties' ? paramsFor(method).map((p) => ({ ...p, density: 1 })) : paramsFor(method);
    expect(getKernel(method).splittable(withDefaults(method, 'global', global), mp)).toBe(true);
    const opts = { base, models, modelParams: mp, global, seed: 9 };
    const whole = runInRanges(method, opts, [[0, n]]);
    expect(sameBits(whole, runMethod(method, opts).out)).toBe(true);
    expect(sameBits(runInRanges(method, opts, [[0, 8192], [8192, n - 8192]]), whole)).toBe(true);
    expect(sameBits(runInRanges(method, opts, [[0, 5000], [5000, n - 5000]]), whole)).toBe(true);
  });

  it('splittable is false where whole-tensor statistics are needed', () => {
    const g = (m: MethodId, extra: ResolvedParams = {}) => withDefaults(m, 'global', extra);
    expect(getKernel('task_arithmetic').splittable(g('task_arithmetic'), paramsFor('task_arithmetic'))).toBe(true);
    expect(getKernel('ties').splittable(g('ties'), paramsFor('ties'))).toBe(false);
    expect(getKernel('dare_linear').splittable(g('dare_linear', { rescale_norm: 'l1' }), paramsFor('dare_linear'))).toBe(false);
    expect(getKernel('dare_linear').splittable(g('dare_linear', { rescale: false, rescale_norm: 'l1' }), paramsFor('dare_linear'))).toBe(true);
    expect(getKernel('breadcrumbs').splittable(g('breadcrumbs'), paramsFor('breadcrumbs'))).toBe(false);
    expect(getKernel('della').splittable(g('della'), paramsFor('della'))).toBe(false);
    expect(getKernel('sce').splittable(g('sce'), [])).toBe(false);
  });

  it('DELLA splits by statistics into ranges of whole rows (the last dimension); a 1-D tensor stays whole', () => {
    const g = (m: MethodId) => withDefaults(m, 'global');
    for (const method of ['della', 'della_linear'] as const) {
      const stats = getKernel(method).statistics!;
      expect(stats.splits(g(method), paramsFor(method))).toBe(true);
      expect(stats.rangeMultiple!([128256, 4096], 128256 * 4096, g(method), paramsFor(method))).toBe(4096);
      expect(stats.rangeMultiple!([4096, 14336], 4096 * 14336, g(method), paramsFor(method))).toBe(14336);
      expect(stats.rangeMultiple!([4096], 4096, g(method), paramsFor(method))).toBe(4096);
    }
    // Other sparsifiers have no row rule.
    expect(getKernel('ties').statistics!.rangeMultiple!([128256, 4096], 128256 * 4096, g('ties'), paramsFor('ties'))).toBe(1);
  });
});

describe('rank ties are broken by lower flat index first', () => {
  it('ties keeps the first of equal magnitudes at the threshold', () => {
    // k = ⌊0.375·8⌋ = 3: the 3, then the first two of the five entries with |δ| = 2.
    const { out } = runMethod('ties', {
      base: new Array(8).fill(0),
      models: [[1, 3, 2, 2, -2, 0.5, 2, -2]],
      modelParams: [{ weight: 1, density: 0.375 }],
    });
    expectClose(out, [0, 3, 2, 2, 0, 0, 0, 0]);
  });

  it('ties on equal magnitudes across chunk boundaries keeps the lowest indices', () => {
    const n = 10000;
    const delta = Float32Array.from({ length: n }, (_, j) => (j % 2 ? -0.25 : 0.25));
    const { out } = runMethod('ties', { base: new Float32Array(n), models: [delta], modelParams: [{ weight: 1, density: 0.6123 }] });
    const k = Math.floor(0.6123 * n);
    expect(Array.from(out.subarray(0, k))).toEqual(Array.from(delta.subarray(0, k)));
    expect(out.subarray(k).every((v) => v === 0)).toBe(true);
  });

  it('breadcrumbs: among equal magnitudes the top cut drops the lowest indices, the bottom cut the highest', () => {
    // Ranks count from the largest with lower index first: all equal, n = 200, keep 180, top 2, bottom 18
    // → ranks [2, 182) → indices 2..181.
    const n = 200;
    const delta = Float32Array.from({ length: n }, (_, j) => (j % 3 ? 1.5 : -1.5));
    const { out } = runMethod('breadcrumbs', {
      base: new Float32Array(n),
      models: [delta],
      modelParams: [{ weight: 1, density: 0.9, gamma: 0.01 }],
    });
    expect(Array.from(out)).toEqual(Array.from(delta, (v, j) => (j >= 2 && j < 182 ? v : 0)));
  });

  it('breadcrumbs with γ = 0 keeps the largest (mergekit would zero the tensor)', () => {
    const { out } = runMethod('breadcrumbs', {
      base: [0, 0, 0, 0],
      models: [[4, -1, 3, 2]],
      modelParams: [{ weight: 1, density: 0.5, gamma: 0 }],
    });
    expectClose(out, [4, 0, 3, 0]);
  });

  it('DELLA ranks per row by ascending |δ|, equal magnitudes giving the higher index the lower rank', () => {
    // Every entry kept (injected mask) with the inverse rule: each output is δ/p_r, which reveals the rank.
    // Row 0: |δ| = 0.5 (idx 0), 2, 0.5 (idx 2), 1, 3 → ranks 2, 4, 1, 3, 5; row 1: ranks by value.
    // d = 0.5, ε = 0.2, m = 5: p_r = 0.3 + 0.1·(r − 1).
    const keepAll: MaskSource = (_i, _s, n, keep) => keep.fill(1, 0, n);
    const { out } = runMethod('della_linear', {
      base: new Array(10).fill(0),
      models: [[0.5, -2, 0.5, 1, 3, 5, 4, 3, 2, 1]],
      shape: [2, 5],
      modelParams: [{ weight: 1, density: 0.5, epsilon: 0.2 }],
      global: { rescale: true, rescale_norm: 'inverse' },
      maskSource: keepAll,
    });
    expectClose(out, [0.5 / 0.4, -2 / 0.6, 0.5 / 0.3, 1 / 0.5, 3 / 0.7, 5 / 0.7, 4 / 0.6, 3 / 0.5, 2 / 0.4, 1 / 0.3]);
  });

  it('DELLA on a 1-D tensor ranks the whole vector as one row; a row of one uses p = d', () => {
    const keepAll: MaskSource = (_i, _s, n, keep) => keep.fill(1, 0, n);
    const run = (models: number[][], shape: number[]) =>
      runMethod('della_linear', {
        base: new Array(models[0].length).fill(0),
        models,
        shape,
        modelParams: [{ weight: 1, density: 0.5, epsilon: 0.25 }],
        global: { rescale: true, rescale_norm: 'inverse' },
        maskSource: keepAll,
      }).out;
    expectClose(run([[1, 3, 2]], [3]), [1 / 0.25, 3 / 0.75, 2 / 0.5]);
    expectClose(run([[1, 3, 2]], [3, 1]), [2, 6, 4]);
  });
});
