/** Interpolation and assembly kernels (spec §3), by method id. */
import type { MethodId } from '../../../../common/methods/types.js';
import type { MethodKernel } from '../kernel.js';
import { arceeFusion } from './arcee-fusion.js';
import { karcher } from './karcher.js';
import { modelStock } from './model-stock.js';
import { multislerp } from './multislerp.js';
import { nearswap } from './nearswap.js';
import { nuslerp } from './nuslerp.js';
import { passthrough } from './passthrough.js';
import { slerp } from './slerp.js';

export const INTERPOLATION_KERNELS: Partial<Record<MethodId, MethodKernel>> = {
  slerp,
  nuslerp,
  multislerp,
  karcher,
  model_stock: modelStock,
  nearswap,
  arcee_fusion: arceeFusion,
  passthrough,
};
