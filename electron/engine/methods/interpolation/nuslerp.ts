/**
 * nuslerp (spec §3): slerp of two models with t = w_2/(w_1 + w_2), of their task vectors when a
 * (distinct) base is given, the base then added back. Vectors are the flattened tensor
 * (nuslerp_flatten, default), else the rows along the last dimension, or the columns along dim 0
 * with nuslerp_row_wise. Streaming: row-wise-merge.ts and column-wise-merge.ts.
 */
import type { MethodKernel, ParamProblem, ValidationInput } from '../kernel.js';
import { bool, KernelError, num } from '../kernel.js';
import { mergeColumnWise } from './column-wise-merge.js';
import { copyInput } from './copy-input.js';
import { assertAtMostModels, modelCountProblems } from './input-checks.js';
import { nuslerpCoefficients, nuslerpT } from './nuslerp-coefficients.js';
import { mergeRowWise, type PerVectorMerge } from './row-wise-merge.js';
import { lastDimLength } from './tensor-rows.js';
import type { VectorSet } from './vector-set.js';

export const nuslerp: MethodKernel = {
  id: 'nuslerp',
  splittable: () => false,

  validate({ modelParams }: ValidationInput): ParamProblem[] {
    const problems = modelCountProblems('nuslerp', modelParams.length, 0, 2);
    modelParams.forEach((p, i) => {
      if (typeof p.weight !== 'number' || !Number.isFinite(p.weight)) {
        problems.push({ param: 'weight', model: i, message: `nuslerp needs a finite weight for every model (model ${i + 1} has ${JSON.stringify(p.weight)})` });
      }
    });
    return problems;
  },

  run(task, out, env) {
    assertAtMostModels(task, 'nuslerp', 2);
    if (task.models.length < 2) {
      // Only one input has this tensor: it is the result.
      const only = task.models[0] ?? task.base;
      if (!only) throw new KernelError(`nuslerp has no input for tensor ${task.name}`, task.name);
      return copyInput(only, task.numel, out, env);
    }
    const { t, fallback } = nuslerpT(num(task.modelParams[0], 'weight'), num(task.modelParams[1], 'weight'));
    if (fallback) env.warn(`nuslerp: the weights of tensor ${task.name} sum to about 0; interpolating halfway (t = 0.5)`);
    const set: VectorSet = { streams: task.models, base: task.base };
    const plan: PerVectorMerge = { gramSet: set, combineSet: set, coefficients: (g) => nuslerpCoefficients(g, t) };
    if (bool(task.global, 'nuslerp_flatten')) {
      mergeRowWise(plan, task.numel, task.numel, out, env);
    } else if (bool(task.global, 'nuslerp_row_wise') && task.shape.length >= 2) {
      mergeColumnWise(plan, task.shape[0], task.numel, out, env);
    } else {
      // Rows along the last dimension (for a 1-D tensor dim 0 is the last dimension: one vector).
      mergeRowWise(plan, lastDimLength(task.shape, task.numel), task.numel, out, env);
    }
  },
};
