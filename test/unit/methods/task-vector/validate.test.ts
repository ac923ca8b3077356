/** validate(): spec §0 degenerate parameters for the task-vector family and sce, before any tensor is read. */
import { describe, expect, it } from 'vitest';
import type { MethodId, ResolvedParams } from '../../../../common/methods/types.js';
import { getKernel } from '../../../../electron/engine/methods/index.js';
import type { ParamProblem } from '../../../../electron/engine/methods/kernel.js';
import { runMethod, withDefaults } from '../harness.js';

function problems(method: MethodId, modelParams: ResolvedParams[], global: ResolvedParams = {}, numel = 1000, hasBase = true): ParamProblem[] {
  return getKernel(method).validate!({
    modelParams: modelParams.map((p) => withDefaults(method, 'model', p)),
    global: withDefaults(method, 'global', global),
    hasBase,
    numel,
  });
}

const brief = (ps: ParamProblem[]) => ps.map((p) => [p.param, p.model]);

describe('task-vector validation', () => {
  it('accepts sound parameters', () => {
    expect(problems('ties', [{ weight: 1, density: 0.5 }, { weight: 0.3, density: 0.2 }])).toEqual([]);
    expect(problems('della', [{ weight: 1, density: 0.7, epsilon: 0.2 }])).toEqual([]);
    expect(problems('della', [{ weight: 1, density: 1, epsilon: 0.9 }])).toEqual([]); // ε unused at density 1
    expect(problems('sce', [{}, {}], { select_topk: 0.1 })).toEqual([]);
  });

  it('refuses a density outside (0, 1], naming the model', () => {
    expect(brief(problems('dare_ties', [{ weight: 1, density: 0.5 }, { weight: 1, density: 0 }]))).toEqual([['density', 1]]);
    expect(brief(problems('breadcrumbs', [{ weight: 1, density: 1.5 }]))).toEqual([['density', 0]]);
  });

  it('refuses a TIES density that keeps no entry of this tensor (k = ⌊d·numel⌋ = 0)', () => {
    expect(brief(problems('ties', [{ weight: 1, density: 0.1 }], {}, 9))).toEqual([['density', 0]]);
    expect(problems('ties', [{ weight: 1, density: 0.1 }], {}, 10)).toEqual([]);
  });

  it('refuses DELLA when d − ε ≤ 0 or d + ε ≥ 1 (density < 1)', () => {
    expect(brief(problems('della_linear', [{ weight: 1, density: 0.1, epsilon: 0.1 }]))).toEqual([['epsilon', 0]]);
    expect(brief(problems('della', [{ weight: 1, density: 0.5, epsilon: 0.2 }, { weight: 1, density: 0.85, epsilon: 0.15 }]))).toEqual([['epsilon', 1]]);
  });

  it('refuses normalize over weights summing to ~0 without consensus, not with it', () => {
    const w = [{ weight: 1 }, { weight: -1 }];
    expect(brief(problems('task_arithmetic', w, { normalize: true }))).toEqual([['weight', undefined]]);
    expect(problems('task_arithmetic', w, { normalize: false })).toEqual([]);
    expect(problems('ties', w.map((p) => ({ ...p, density: 0.5 })), { normalize: true })).toEqual([]);
  });

  it('requires a weight, a base and at least one model', () => {
    expect(brief(problems('task_arithmetic', [{ weight: 1 }, {}]))).toEqual([['weight', 1]]);
    expect(brief(problems('ties', [{ weight: 1, density: 0.5 }], {}, 1000, false))).toEqual([['base_model', undefined]]);
    expect(brief(problems('dare_linear', []))).toEqual([['models', undefined]]);
  });

  it("refuses rescale_norm 'inverse' for magnitude trimming, and unknown options", () => {
    expect(brief(problems('ties', [{ weight: 1, density: 0.5 }], { rescale: true, rescale_norm: 'inverse' }))).toEqual([['rescale_norm', undefined]]);
    expect(brief(problems('dare_ties', [{ weight: 1, density: 0.5 }], { rescale_norm: 'l2' }))).toEqual([['rescale_norm', undefined]]);
    expect(brief(problems('ties', [{ weight: 1, density: 0.5 }], { consensus: 'vote' }))).toEqual([['consensus', undefined]]);
  });

  it('refuses sce select_topk outside (0, 1]', () => {
    expect(brief(problems('sce', [{}], { select_topk: 0 }))).toEqual([['select_topk', undefined]]);
    expect(brief(problems('sce', [{}], { select_topk: 1.2 }))).toEqual([['select_topk', undefined]]);
  });

  it('run() refuses what validate() reports, naming the tensor', () => {
    expect(() =>
      runMethod('ties', { name: 'lm_head.weight', base: [0, 0, 0], models: [[1, 2, 3]], modelParams: [{ weight: 1, density: 0.2 }] }),
    ).toThrow(/lm_head\.weight.*density 0\.2 keeps/);
    expect(() => runMethod('ties', { models: [[1, 2, 3]], modelParams: [{ weight: 1, density: 0.5 }] })).toThrow(/needs a base model/);
  });
});

describe('rescale', () => {
  it('ties with rescale on uses the l1 rule: survivors × ‖δ‖₁/‖δ⊙m‖₁', () => {
    // k = 2 of [1, −4, 3, 2]: keeps −4 and 3; ‖δ‖₁ = 10, kept 7.
    const { out } = runMethod('ties', {
      base: [0, 0, 0, 0],
      models: [[1, -4, 3, 2]],
      modelParams: [{ weight: 1, density: 0.5 }],
      global: { rescale: true },
    });
    expect(Array.from(out)).toEqual([0, Math.fround(-4 * Math.fround(10 / 7)), Math.fround(3 * Math.fround(10 / 7)), 0]);
  });

  it('l1 rescale is skipped when the kept norm is below 1e-7', () => {
    const { out } = runMethod('ties', {
      base: [0, 0, 0, 0],
      models: [[1e-8, -4e-8, 3e-8, 2e-8]],
      modelParams: [{ weight: 1, density: 0.5 }],
      global: { rescale: true },
    });
    expect(Array.from(out)).toEqual([0, Math.fround(-4e-8), Math.fround(3e-8), 0]);
  });
});
