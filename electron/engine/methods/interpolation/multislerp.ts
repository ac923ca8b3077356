/**
 * multislerp (spec §3): spherical weighted mean of the models, of their task vectors when a base is
 * given (the base added back). One Gram pass and one elementwise pass (row-wise-merge.ts); the
 * tangent-space algebra is in multislerp-coefficients.ts.
 */
import type { MethodKernel, ParamProblem, ValidationInput } from '../kernel.js';
import { bool, KernelError, num } from '../kernel.js';
import { copyInput } from './copy-input.js';
import { multislerpCoefficients, multislerpWeights } from './multislerp-coefficients.js';
import { mergeRowWise } from './row-wise-merge.js';
import type { VectorSet } from './vector-set.js';

const WEIGHT_SUM_FLOOR = 1e-8;

export const multislerp: MethodKernel = {
  id: 'multislerp',
  splittable: () => false,

  validate({ modelParams, global }: ValidationInput): ParamProblem[] {
    if (!bool(global, 'normalize_weights')) return [];
    const sum = modelParams.reduce((s, p) => s + num(p, 'weight'), 0);
    return Math.abs(sum) < WEIGHT_SUM_FLOOR
      ? [{ param: 'weight', message: `the weights sum to ${sum}, and normalize_weights divides by their sum` }]
      : [];
  },

  run(task, out, env) {
    if (task.models.length < 2) {
      const only = task.models[0] ?? task.base;
      if (!only) throw new KernelError(`multislerp has no input for tensor ${task.name}`, task.name);
      return copyInput(only, task.numel, out, env);
    }
    const weights = multislerpWeights(
      task.modelParams.map((p) => num(p, 'weight')),
      bool(task.global, 'normalize_weights'),
    );
    const eps = num(task.global, 'eps');
    const set: VectorSet = { streams: task.models, base: task.base };
    const coefficients = (g: number[][]): number[] => {
      const r = multislerpCoefficients(g, weights, eps);
      if (r.kind === 'vanishingMean') {
        throw new KernelError(
          `multislerp: the weighted mean of the ${task.models.length} unit ${task.base ? 'task vectors' : 'vectors'} of tensor ${task.name} is zero (opposite inputs whose weights balance out); change the weights`,
          task.name,
        );
      }
      return r.coefs;
    };
    mergeRowWise({ gramSet: set, combineSet: set, coefficients }, task.numel, task.numel, out, env);
  },
};
