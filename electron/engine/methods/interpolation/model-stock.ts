/**
 * model_stock (spec §3): out = t·mean(x_i) + (1 − t)·b with t from the mean pairwise cosine of the
 * task vectors, per tensor or per row (filter_wise). As a linear combination: t/N on every model,
 * then 1 − t on the base (row-wise-merge.ts). Dropping a base listed again among the models is the
 * planner's job.
 */
import type { MethodKernel, ParamProblem, ValidationInput } from '../kernel.js';
import { bool, KernelError } from '../kernel.js';
import { baseProblems, modelCountProblems, requireBase } from './input-checks.js';
import { modelStockCoefficients, modelStockRatio } from './model-stock-coefficients.js';
import { mergeRowWise } from './row-wise-merge.js';
import { lastDimLength } from './tensor-rows.js';
import type { Gram } from './gram.js';

export const modelStock: MethodKernel = {
  id: 'model_stock',
  splittable: () => false,

  validate({ modelParams, hasBase }: ValidationInput): ParamProblem[] {
    return [...baseProblems('model_stock', hasBase), ...modelCountProblems('model_stock', modelParams.length, 2)];
  },

  run(task, out, env) {
    const base = requireBase(task, 'model_stock');
    const n = task.models.length;
    if (n < 2) {
      throw new KernelError(`model_stock needs at least 2 models besides the base; tensor ${task.name} has ${n}`, task.name);
    }
    const filterWise = bool(task.global, 'filter_wise');
    const where = (row: number): string => `tensor ${task.name}${filterWise ? ` (row ${row})` : ''}`;
    const coefficients = (g: Gram, row: number): number[] => {
      const r = modelStockRatio(g);
      if (r.kind === 'degenerate') {
        throw new KernelError(
          `model_stock: 1 + (N − 1)·cos θ = 0 for ${where(row)} (N = ${n}, mean cos θ = ${r.cos}): the task vectors point in opposite directions and the interpolation ratio is undefined`,
          task.name,
        );
      }
      const coefs = modelStockCoefficients(r.t, n);
      if (!coefs.every((c) => Number.isFinite(Math.fround(c)))) {
        throw new KernelError(`model_stock: the interpolation ratio for ${where(row)} is not finite (t = ${r.t}, mean cos θ = ${r.cos})`, task.name);
      }
      return coefs;
    };
    const rowLength = filterWise ? lastDimLength(task.shape, task.numel) : task.numel;
    mergeRowWise(
      {
        gramSet: { streams: task.models, base },
        combineSet: { streams: [...task.models, base] },
        coefficients,
      },
      rowLength,
      task.numel,
      out,
      env,
    );
  },
};
