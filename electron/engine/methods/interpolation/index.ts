import type { MethodId } from '../../../../common/methods/types.js';
import type { MethodKernel } from '../kernel.js';

export const INTERPOLATION_KERNELS: Partial<Record<MethodId, MethodKernel>> = {};
