/**
 * karcher (spec §3): the Riemannian mean of the models' directions on the unit sphere, scaled by
 * their mean norm. The iteration runs on the Gram matrix (karcher-coefficients.ts); the tensors are
 * read in one Gram pass and one elementwise pass (row-wise-merge.ts).
 */
import type { MethodKernel } from '../kernel.js';
import { KernelError, num } from '../kernel.js';
import { copyInput } from './copy-input.js';
import { karcherCoefficients } from './karcher-coefficients.js';
import { mergeRowWise } from './row-wise-merge.js';
import type { VectorSet } from './vector-set.js';

export const karcher: MethodKernel = {
  id: 'karcher',
  splittable: () => false,

  run(task, out, env) {
    if (task.models.length === 0) throw new KernelError(`karcher has no input for tensor ${task.name}`, task.name);
    if (task.models.length === 1) return copyInput(task.models[0], task.numel, out, env);
    const maxIter = num(task.global, 'max_iter');
    const tol = num(task.global, 'tol');
    const set: VectorSet = { streams: task.models };
    mergeRowWise({ gramSet: set, combineSet: set, coefficients: (g) => karcherCoefficients(g, maxIter, tol) }, task.numel, task.numel, out, env);
  },
};
