/**
 * sce (spec §3): τ_i = x_i − b; when select_topk < 1, one mask for all models keeps the
 * ⌊select_topk·count_nonzero(v)⌋ positions of largest v (the population variance of τ across
 * models; ties by lower flat index first, by radix select as in TIES); sign election on the
 * unweighted masked τ; ω_i = mean(τ_i²)/Σ_j mean(τ_j²) over the masked τ (uniform when that sum
 * < 1e-6; float64, rounded once); out = b + Σ ω_i m_i τ_i / max(Σ ω_i m_i, 1e-6).
 * Passes: [variance histogram + nonzero count] [low histogram, when needed], ω norms, output.
 */
import type { ResolvedParams } from '../../../../common/methods/types.js';
import type { KernelEnv, KernelTask, MethodKernel, ParamProblem, TensorSink, ValidationInput } from '../kernel.js';
import { KernelError } from '../kernel.js';
import { copyStream, readRangeMinus } from '../lib/chunked-io.js';
import { KEEP_NONE, RadixSelect, type TopKCut } from '../lib/radix-select.js';
import { RankBandCursor } from '../lib/rank-band.js';
import { Scratch } from '../lib/scratch.js';
import { requireInputs } from './pipeline.js';

/** Below this Σ_j mean(τ_j²) the models are weighted uniformly (spec §3). */
export const SCE_UNIFORM_BELOW = 1e-6;

function selectTopk(global: ResolvedParams): number | ParamProblem {
  const v = global.select_topk ?? 1;
  if (typeof v !== 'number' || !(v > 0 && v <= 1)) {
    return { param: 'select_topk', message: `select_topk ${JSON.stringify(v)} is outside (0, 1]` };
  }
  return v;
}

function validateSce({ modelParams, global, hasBase }: ValidationInput): ParamProblem[] {
  const problems: ParamProblem[] = [];
  if (!hasBase) problems.push({ param: 'base_model', message: 'sce needs a base model' });
  if (modelParams.length === 0) problems.push({ param: 'models', message: 'sce needs at least one model besides the base' });
  const topk = selectTopk(global);
  if (typeof topk !== 'number') problems.push(topk);
  return problems;
}

function runSce(task: KernelTask, out: TensorSink, env: KernelEnv): void {
  const topk = selectTopk(task.global);
  if (typeof topk !== 'number') throw new KernelError(`sce on tensor ${task.name}: ${topk.message}`, task.name);
  const base = requireInputs('sce', task);
  const n = task.numel;
  const models = task.models.length;
  if (n === 0) return;
  const be = env.backend;
  const scratch = new Scratch(be);
  const bView = scratch.f32(env.chunk);
  const tauViews = task.models.map(() => scratch.f32(env.chunk));
  const masked = topk < 1;
  const vView = masked ? scratch.f32(env.chunk) : undefined;
  const bandView = masked ? scratch.u32(4) : undefined;
  const select = masked ? new RadixSelect(be, scratch) : undefined;
  const b = bView();
  const taus = tauViews.map((v) => v());

  /**
   * Fills taus with the (masked) task vectors of [start, start + len). The mask: bandMask zeroes v
   * outside the kept band, and every τ_i is zeroed where v is then zero. That is the band's own
   * decision because the band keeps only nonzero variances (checked where the cut is made).
   */
  const readTaus = (start: number, len: number, cursor?: RankBandCursor): void => {
    base.read(start, len, b);
    for (let i = 0; i < models; i++) readRangeMinus(task.models[i], start, len, taus[i], b, len, be);
    if (!cursor) return;
    const v = vView!();
    be.populationVariance(taus, len, v);
    cursor.cut(be, v, len, bandView!());
    be.keepNonzero(taus, v, len);
  };
  const forEachChunk = (fn: (start: number, len: number) => void): void => {
    for (let start = 0; start < n; start += env.chunk) {
      env.checkpoint();
      fn(start, Math.min(env.chunk, n - start));
    }
  };

  let cut: TopKCut | undefined;
  if (select) {
    const v = vView!();
    let nonzero = 0;
    select.beginHigh();
    forEachChunk((start, len) => {
      readTaus(start, len);
      nonzero += be.populationVariance(taus, len, v);
      select.addHigh(v, len);
    });
    const k = Math.floor(topk * nonzero);
    if (k === 0) {
      // Nothing survives the mask: every τ is erased and the output is the base.
      copyStream(base, n, out, env, b);
      return;
    }
    if (select.plan([k])) {
      forEachChunk((start, len) => {
        readTaus(start, len);
        be.populationVariance(taus, len, v);
        select.addLow(v, len);
      });
    }
    cut = select.cuts()[0];
    // 1 ≤ k < nonzero (select_topk < 1): the k-th largest variance is nonzero, so every kept
    // variance has magnitude bits above 0 and keepNonzero applies exactly the band's decisions.
    if (!(cut.threshold > 0 || (cut.threshold === 0 && cut.ties === 0))) {
      throw new KernelError(`sce on tensor ${task.name}: the variance cut keeps zero variances (threshold ${cut.threshold}, ${cut.ties} ties)`, task.name);
    }
  }
  const cursor = (): RankBandCursor | undefined => (cut ? new RankBandCursor(cut, KEEP_NONE) : undefined);

  const squares = new Array<number>(models).fill(0);
  let omegaCursor = cursor();
  forEachChunk((start, len) => {
    readTaus(start, len, omegaCursor);
    for (let i = 0; i < models; i++) squares[i] = be.dotBlocks(taus[i], taus[i], len, squares[i]);
  });
  omegaCursor = undefined;
  const means = squares.map((s) => s / n);
  const sum = means.reduce((s, m) => s + m, 0);
  const omega = means.map((m) => Math.fround(sum < SCE_UNIFORM_BELOW ? 1 / models : m / sum));

  const outCursor = cursor();
  forEachChunk((start, len) => {
    readTaus(start, len, outCursor);
    be.electedWeightedMean(taus, omega, len, b);
    out.write(start, b, len);
  });
}

export const sce: MethodKernel = {
  id: 'sce',
  // The variance mask and ω are whole-tensor statistics.
  splittable: () => false,
  validate: validateSce,
  run: runSce,
};
