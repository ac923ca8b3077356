/**
 * slerp (spec §3): exactly one model plus the base, global t; t = 0 gives the base. The flattened
 * tensors are the two vectors; the output is c0·b + c1·x with coefficients from their Gram matrix
 * (row-wise-merge.ts explains the streaming).
 */
import type { MethodKernel, ParamProblem, ValidationInput } from '../kernel.js';
import { num } from '../kernel.js';
import { copyInput } from './copy-input.js';
import { assertAtMostModels, baseProblems, modelCountProblems, requireBase } from './input-checks.js';
import { mergeRowWise } from './row-wise-merge.js';
import { slerpCoefficients } from './slerp-coefficients.js';
import type { VectorSet } from './vector-set.js';

export const slerp: MethodKernel = {
  id: 'slerp',
  splittable: () => false,

  validate({ modelParams, hasBase }: ValidationInput): ParamProblem[] {
    return [...baseProblems('slerp', hasBase), ...modelCountProblems('slerp', modelParams.length, 0, 1)];
  },

  run(task, out, env) {
    const base = requireBase(task, 'slerp');
    assertAtMostModels(task, 'slerp', 1);
    // The other model lacks this tensor: merged from the inputs that have it, the base.
    if (task.models.length === 0) return copyInput(base, task.numel, out, env);
    const t = num(task.global, 't');
    const set: VectorSet = { streams: [base, task.models[0]] };
    mergeRowWise({ gramSet: set, combineSet: set, coefficients: (g) => slerpCoefficients(g, t) }, task.numel, task.numel, out, env);
  },
};
