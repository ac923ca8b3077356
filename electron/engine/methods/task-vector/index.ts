/** The task-vector family (spec §2) and sce (spec §3), by method id. */
import type { MethodId } from '../../../../common/methods/types.js';
import type { MethodKernel } from '../kernel.js';
import { taskVectorKernel } from './kernels.js';
import { sce } from './sce.js';

export const TASK_VECTOR_KERNELS: Partial<Record<MethodId, MethodKernel>> = {
  task_arithmetic: taskVectorKernel('task_arithmetic'),
  ties: taskVectorKernel('ties'),
  dare_linear: taskVectorKernel('dare_linear'),
  dare_ties: taskVectorKernel('dare_ties'),
  breadcrumbs: taskVectorKernel('breadcrumbs'),
  breadcrumbs_ties: taskVectorKernel('breadcrumbs_ties'),
  della: taskVectorKernel('della'),
  della_linear: taskVectorKernel('della_linear'),
  sce,
};
