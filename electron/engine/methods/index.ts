/** Kernels by method id: the Node-side half of the registry (descriptors are in common/methods). */
import type { MethodId } from '../../../common/methods/types.js';
import type { MethodKernel } from './kernel.js';
import { linear } from './linear.js';

const KERNELS: Partial<Record<MethodId, MethodKernel>> = {
  linear,
};

export function getKernel(id: MethodId): MethodKernel {
  const k = KERNELS[id];
  if (!k) throw new Error(`no kernel for merge method '${id}'`);
  return k;
}
