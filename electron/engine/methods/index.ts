/** Kernels by method id: the Node-side half of the registry (descriptors are in common/methods). */
import type { MethodId } from '../../../common/methods/types.js';
import type { MethodKernel } from './kernel.js';
import { linear } from './linear.js';
import { TASK_VECTOR_KERNELS } from './task-vector/index.js';
import { INTERPOLATION_KERNELS } from './interpolation/index.js';
import { fisherKernel } from '../fisher/fisher-kernel.js';

const KERNELS: Partial<Record<MethodId, MethodKernel>> = {
  linear,
  ...TASK_VECTOR_KERNELS,
  ...INTERPOLATION_KERNELS,
  fisher: fisherKernel,
};

export function getKernel(id: MethodId): MethodKernel {
  const k = KERNELS[id];
  if (!k) throw new Error(`no kernel for merge method '${id}'`);
  return k;
}

export function hasKernel(id: MethodId): boolean {
  return KERNELS[id] !== undefined;
}
