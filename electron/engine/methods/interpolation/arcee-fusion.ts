/**
 * arcee_fusion (spec §3): base a, other b. Importance I = |b − a| ⊙ KL(softmax(b) ‖ softmax(a)) per
 * row (rows along the last dimension, the row's KL broadcast over its columns);
 * τ = median(I) + 1.5·(Q3 − Q1), quantiles at index ⌊q(n − 1)⌋ of the sorted flattened I (all of
 * it); out = a + (b − a)·[I ≥ τ].
 *
 * Streaming: I is never stored. It is recomputed from a, b and the row divergences on each of three
 * passes (high radix histogram, low radix histogram, output): the quantiles are found exactly by a
 * radix select on the float32 bits of I (radix-quantiles.ts). The passes run range by range
 * (arcee-statistics.ts): a tensor run whole is one range; a large one is split into ranges of whole
 * rows that the executor runs on several threads, with the same bits.
 */
import { runAsOneRange, type MethodKernel, type ParamProblem, type RangeStatistics, type ValidationInput } from '../kernel.js';
import { assertAtMostModels, baseProblems, modelCountProblems, requireBase } from './input-checks.js';
import { copyInput } from './copy-input.js';
import { arceeStatistics } from './arcee-statistics.js';

export const arceeFusion: MethodKernel = {
  id: 'arcee_fusion',
  // The quantiles are whole-tensor statistics, gathered range by range (arceeStatistics).
  splittable: () => false,
  statistics: arceeStatistics as RangeStatistics,

  validate({ modelParams, hasBase }: ValidationInput): ParamProblem[] {
    return [...baseProblems('arcee_fusion', hasBase), ...modelCountProblems('arcee_fusion', modelParams.length, 0, 1)];
  },

  run(task, out, env) {
    const base = requireBase(task, 'arcee_fusion');
    assertAtMostModels(task, 'arcee_fusion', 1);
    if (task.models.length === 0) return copyInput(base, task.numel, out, env);
    if (task.numel === 0) return;
    runAsOneRange(arceeStatistics, task, out, env);
  },
};
