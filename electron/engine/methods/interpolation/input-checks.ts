/** Input checks shared by the kernels of this folder: validation problems and run-time guards (base present, model count). */
import { KernelError, type KernelTask, type ParamProblem, type TensorStream } from '../kernel.js';

export function baseProblems(method: string, hasBase: boolean): ParamProblem[] {
  return hasBase ? [] : [{ param: 'base_model', message: `${method} needs a base model` }];
}

export function modelCountProblems(method: string, count: number, min: number, max?: number): ParamProblem[] {
  if (count < min) {
    return [{ param: 'models', message: `${method} needs at least ${min} model${min === 1 ? '' : 's'} besides the base, got ${count}` }];
  }
  if (max !== undefined && count > max) {
    return [{ param: 'models', message: `${method} takes at most ${max} model${max === 1 ? '' : 's'} besides the base, got ${count}` }];
  }
  return [];
}

/** The base stream, or a KernelError naming the tensor (spec §0: a base-requiring method). */
export function requireBase(task: KernelTask, method: string): TensorStream {
  if (!task.base) throw new KernelError(`${method} needs the base model's tensor ${task.name}, which the base does not have`, task.name);
  return task.base;
}

/** A KernelError when the task has more non-base inputs than the method takes. */
export function assertAtMostModels(task: KernelTask, method: string, max: number): void {
  if (task.models.length > max) {
    throw new KernelError(`${method} takes at most ${max} model${max === 1 ? '' : 's'} besides the base; tensor ${task.name} has ${task.models.length}`, task.name);
  }
}
