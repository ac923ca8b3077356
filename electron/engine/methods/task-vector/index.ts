import type { MethodId } from '../../../../common/methods/types.js';
import type { MethodKernel } from '../kernel.js';

export const TASK_VECTOR_KERNELS: Partial<Record<MethodId, MethodKernel>> = {};
