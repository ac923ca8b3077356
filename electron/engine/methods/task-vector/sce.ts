/**
 * sce (spec §3): τ_i = x_i − b; when select_topk < 1, one mask for all models keeps the
 * ⌊select_topk·count_nonzero(v)⌋ positions of largest v (the population variance of τ across
 * models; ties by lower flat index first, by radix select as in TIES); sign election on the
 * unweighted masked τ; ω_i = mean(τ_i²)/Σ_j mean(τ_j²) over the masked τ (uniform when that sum
 * < 1e-6; float64, rounded once); out = b + Σ ω_i m_i τ_i / max(Σ ω_i m_i, 1e-6).
 * Passes: [variance histogram + nonzero count] [low histogram, when needed], ω norms, output.
 * They run range by range (RangeStatistics, sce-stats.ts): a large tensor's ranges may run on
 * several threads, with the same bits as one range.
 */
import type { ResolvedParams } from '../../../../common/methods/types.js';
import { BLOCK } from '../../backend/types.js';
import { KernelError, runAsOneRange, type KernelEnv, type KernelTask, type MethodKernel, type ParamProblem, type RangeStatistics, type TensorSink, type ValidationInput } from '../kernel.js';
import { copyStream, readRangeMinus } from '../lib/chunked-io.js';
import { BINS, KEEP_NONE } from '../lib/radix-select.js';
import { RankBandCursor } from '../lib/rank-band.js';
import { Scratch } from '../lib/scratch.js';
import { sparseHist } from '../lib/sparse-hist.js';
import { requireInputs } from './pipeline.js';
import { combineSce, initialSceState, sceCutForRange, sceWantsPass, type SceCut, type ScePartial, type SceState } from './sce-stats.js';

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

/** One range's buffers and its chunked reads of the (masked) task vectors. */
class SceRange {
  readonly b: Float32Array;
  readonly taus: Float32Array[];
  readonly v: Float32Array;
  private readonly band: Uint32Array;
  private readonly hist: Uint32Array;

  constructor(
    private readonly task: KernelTask,
    private readonly env: KernelEnv,
  ) {
    const scratch = new Scratch(env.backend);
    // Reserve every buffer first, then take views.
    const bView = scratch.f32(env.chunk);
    const tauViews = task.models.map(() => scratch.f32(env.chunk));
    const vView = scratch.f32(env.chunk);
    const bandView = scratch.u32(4);
    const histView = scratch.u32(BINS);
    this.b = bView();
    this.taus = tauViews.map((t) => t());
    this.v = vView();
    this.band = bandView();
    this.hist = histView();
  }

  forEachChunk(fn: (start: number, len: number) => void): void {
    const n = this.task.numel;
    for (let start = 0; start < n; start += this.env.chunk) {
      this.env.checkpoint();
      fn(start, Math.min(this.env.chunk, n - start));
    }
  }

  /**
   * Fills taus with the task vectors of [start, start + len), masked when a cursor is given:
   * bandMask zeroes v outside the kept band, then every τ_i is zeroed where v is zero: the band's
   * own decisions, since the band keeps only nonzero variances (sce-stats.ts checks the cut).
   */
  readTaus(start: number, len: number, cursor?: RankBandCursor): void {
    const be = this.env.backend;
    this.task.base!.read(start, len, this.b);
    for (let i = 0; i < this.taus.length; i++) readRangeMinus(this.task.models[i], start, len, this.taus[i], this.b, len, be);
    if (!cursor) return;
    be.populationVariance(this.taus, len, this.v);
    cursor.cut(be, this.v, len, this.band);
    be.keepNonzero(this.taus, this.v, len);
  }

  /** One statistics pass over the range. */
  observe(state: SceState, range: number): ScePartial {
    const be = this.env.backend;
    if (state.phase === 'variance' || state.phase === 'low') {
      const hist = this.hist;
      hist.fill(0);
      let nonzero = 0;
      this.forEachChunk((start, len) => {
        this.readTaus(start, len);
        nonzero += be.populationVariance(this.taus, len, this.v);
        if (state.phase === 'variance') be.absHistHigh(this.v, len, hist);
        else be.absHistLow(this.v, len, state.bin, hist);
      });
      return state.phase === 'variance' ? { high: sparseHist(hist), nonzero } : { low: sparseHist(hist) };
    }
    if (state.phase !== 'norms') throw new Error(`sce: no statistics pass is pending (phase ${state.phase})`);
    const cursor = this.cursor(state.cut, range);
    const squares = this.taus.map(() => [] as number[]);
    this.forEachChunk((start, len) => {
      this.readTaus(start, len, cursor);
      // Each block's own sum (0 + s = s: a sum of squares is never −0), added in order by combine.
      for (let i = 0; i < this.taus.length; i++) {
        for (let at = 0; at < len; at += BLOCK) squares[i].push(be.dotBlocks(this.taus[i].subarray(at), this.taus[i].subarray(at), Math.min(BLOCK, len - at), 0));
      }
    });
    return { squares: squares.map((s) => Float64Array.from(s)) };
  }

  /** The output pass over the range. */
  apply(state: SceState, range: number, out: TensorSink): void {
    if (state.phase === 'base') {
      copyStream(this.task.base!, this.task.numel, out, this.env, this.b);
      return;
    }
    if (state.phase !== 'ready') throw new Error(`sce: the output pass needs every statistic (phase ${state.phase})`);
    const cursor = this.cursor(state.cut, range);
    this.forEachChunk((start, len) => {
      this.readTaus(start, len, cursor);
      this.env.backend.electedWeightedMean(this.taus, state.omega, len, this.b);
      out.write(start, this.b, len);
    });
  }

  private cursor(cut: SceCut | null, range: number): RankBandCursor | undefined {
    return cut ? new RankBandCursor(sceCutForRange(cut, range), KEEP_NONE) : undefined;
  }
}

/** The parameters' select_topk, or a KernelError naming the tensor. */
function topkOf(task: Pick<KernelTask, 'name' | 'global'>): number {
  const topk = selectTopk(task.global);
  if (typeof topk !== 'number') throw new KernelError(`sce on tensor ${task.name}: ${topk.message}`, task.name);
  return topk;
}

export const sceStatistics: RangeStatistics<SceState, ScePartial> = {
  splits: (global) => typeof selectTopk(global) === 'number',
  initial: (input) => initialSceState(topkOf(input), input.numel, input.modelParams.length),
  wantsPass: sceWantsPass,
  observe(task, state, range, env) {
    requireInputs('sce', task);
    return new SceRange(task, env).observe(state, range);
  },
  combine: combineSce,
  apply(task, state, range, out, env) {
    requireInputs('sce', task);
    if (task.numel === 0) return;
    new SceRange(task, env).apply(state, range, out);
  },
};

export const sce: MethodKernel = {
  id: 'sce',
  // The variance mask and ω are whole-tensor statistics, gathered range by range (sceStatistics).
  splittable: () => false,
  statistics: sceStatistics as RangeStatistics,
  validate: validateSce,
  run: (task, out, env) => runAsOneRange(sceStatistics, task, out, env),
};
