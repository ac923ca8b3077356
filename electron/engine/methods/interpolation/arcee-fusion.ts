/**
 * arcee_fusion (spec §3): base a, other b. Importance I = |b − a| ⊙ KL(softmax(b) ‖ softmax(a)) per
 * row (rows along the last dimension, the row's KL broadcast over its columns);
 * τ = median(I) + 1.5·(Q3 − Q1), quantiles at index ⌊q(n − 1)⌋ of the sorted flattened I (all of
 * it); out = a + (b − a)·[I ≥ τ].
 *
 * Streaming: I is never stored. It is recomputed from a and b on each of three passes (high radix
 * histogram, low radix histogram, output): the quantiles are found exactly by a radix select on
 * the float32 bits of I (radix-quantiles.ts). Each row's KL (float64, rounded to float32 once) is
 * cached between passes when there are at most a chunk of rows, else recomputed (same bits).
 * Rows that fit in a chunk are read in groups of whole rows; a longer row is read in pieces
 * (three extra passes over it for its KL: arcee-row-kl.ts).
 */
import type { KernelEnv, KernelTask, MethodKernel, ParamProblem, ValidationInput } from '../kernel.js';
import { assertAtMostModels, baseProblems, modelCountProblems, requireBase } from './input-checks.js';
import { copyInput } from './copy-input.js';
import { RowSoftmaxKl, rowKl } from './arcee-row-kl.js';
import { selectRanksOfNonNegative } from './radix-quantiles.js';
import { lastDimLength } from './tensor-rows.js';

const fr = Math.fround;
const A_SLOT = 0;
const B_SLOT = 1;
const IMPORTANCE_SLOT = 2;
const OUT_SLOT = 3;
const QUANTILES = [0.25, 0.5, 0.75] as const;

/** dst[off + j] = |b − a|·kl in float32 (kl already a float32 value). */
function importanceInto(a: Float32Array, b: Float32Array, dst: Float32Array, off: number, n: number, kl: number): void {
  for (let j = off; j < off + n; j++) dst[j] = Math.abs(fr(b[j] - a[j])) * kl;
}

/** The spec's quantile indices ⌊q(n − 1)⌋ for q = 1/4, 1/2, 3/4 (exact in float64). */
export function quantileRanks(n: number): number[] {
  return QUANTILES.map((q) => Math.floor(q * (n - 1)));
}

/** τ = median + 1.5·(Q3 − Q1), computed in float64 and rounded to float32 once. */
export function fusionThreshold(q1: number, median: number, q3: number): number {
  return fr(median + 1.5 * (q3 - q1));
}

/**
 * Calls visit(start, len) for consecutive ranges of the tensor with a, b and I of that range in
 * the backend buffers (index 0 = element start).
 */
type ImportancePass = (visit: (start: number, len: number) => void) => void;

function importancePasses(task: KernelTask, env: KernelEnv, bufs: { a: Float32Array; b: Float32Array; imp: Float32Array }): ImportancePass {
  const base = task.base!;
  const other = task.models[0];
  const cols = lastDimLength(task.shape, task.numel);
  const rows = task.numel / cols;
  const { a, b, imp } = bufs;
  // Per-row state of at most one chunk of rows: the KL cache.
  const cache = rows <= env.chunk ? new Float32Array(rows) : undefined;
  let cacheFilled = false;
  const klOf = (row: number, compute: () => number): number => {
    if (!cache) return compute();
    if (!cacheFilled) cache[row] = compute();
    return cache[row];
  };
  const streamedRowKl = (rowStart: number): number => {
    const kl = new RowSoftmaxKl();
    const stages = [kl.observeMax, kl.observeNormalisers, kl.observeDivergence];
    for (const stage of stages) {
      for (let p = 0; p < cols; p += env.chunk) {
        env.checkpoint();
        const len = Math.min(env.chunk, cols - p);
        base.read(rowStart + p, len, a);
        other.read(rowStart + p, len, b);
        stage.call(kl, a, b, 0, len);
      }
    }
    return kl.value();
  };

  // A row's exponentials, kept between its normalisers and its divergence (rowKl).
  const exps = cols <= env.chunk ? { a: new Float64Array(cols), b: new Float64Array(cols) } : undefined;

  return (visit) => {
    if (cols <= env.chunk) {
      const rowsPerGroup = Math.floor(env.chunk / cols);
      for (let r0 = 0; r0 < rows; r0 += rowsPerGroup) {
        env.checkpoint();
        const count = Math.min(rowsPerGroup, rows - r0);
        const start = r0 * cols;
        const len = count * cols;
        base.read(start, len, a);
        other.read(start, len, b);
        for (let r = 0; r < count; r++) {
          const off = r * cols;
          importanceInto(a, b, imp, off, cols, klOf(r0 + r, () => rowKl(a, b, off, cols, exps)));
        }
        visit(start, len);
      }
    } else {
      for (let row = 0; row < rows; row++) {
        const rowStart = row * cols;
        const kl = klOf(row, () => streamedRowKl(rowStart));
        for (let p = 0; p < cols; p += env.chunk) {
          env.checkpoint();
          const len = Math.min(env.chunk, cols - p);
          base.read(rowStart + p, len, a);
          other.read(rowStart + p, len, b);
          importanceInto(a, b, imp, 0, len, kl);
          visit(rowStart + p, len);
        }
      }
    }
    cacheFilled = cache !== undefined;
  };
}

export const arceeFusion: MethodKernel = {
  id: 'arcee_fusion',
  splittable: () => false,

  validate({ modelParams, hasBase }: ValidationInput): ParamProblem[] {
    return [...baseProblems('arcee_fusion', hasBase), ...modelCountProblems('arcee_fusion', modelParams.length, 0, 1)];
  },

  run(task, out, env) {
    const base = requireBase(task, 'arcee_fusion');
    assertAtMostModels(task, 'arcee_fusion', 1);
    if (task.models.length === 0) return copyInput(base, task.numel, out, env);
    if (task.numel === 0) return;
    const be = env.backend;
    const bufs = { a: be.f32(A_SLOT, env.chunk), b: be.f32(B_SLOT, env.chunk), imp: be.f32(IMPORTANCE_SLOT, env.chunk) };
    const res = be.f32(OUT_SLOT, env.chunk);
    const pass = importancePasses(task, env, bufs);

    const [q1, median, q3] = selectRanksOfNonNegative(
      quantileRanks(task.numel),
      (visit) => pass((_start, len) => visit(bufs.imp, len)),
      be,
    );
    const threshold = fusionThreshold(q1, median, q3);

    pass((start, len) => {
      const { a, b, imp } = bufs;
      for (let j = 0; j < len; j++) res[j] = a[j] + fr(fr(b[j] - a[j]) * (imp[j] >= threshold ? 1 : 0));
      out.write(start, res, len);
    });
  },
};
