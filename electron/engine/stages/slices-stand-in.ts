/**
 * What a `slices:` stage's output will be before it exists, for the pre-flight of the stages that
 * read it: its donor's checkpoint (config, architecture) with the tensors and layer count the
 * stage's own pre-flight says it writes. A merge stage keeps its donor's tensors and layers, so
 * the donor itself stands in for it; a frankenmerge usually has another number of layers.
 */
import { join } from 'node:path';
import { DTYPE_SIZE, isDtype } from '../io/dtype.js';
import { LAYER_COUNT_KEYS } from '../io/hf-config.js';
import type { CheckpointInfo, TensorInfo } from '../io/types.js';
import type { Preflight } from '../run/types.js';

/** `out`: where the stage would be written (named in errors; nothing is read there). */
export function slicesStandIn(donor: CheckpointInfo, pf: Preflight, out: string): CheckpointInfo {
  const file = join(out, 'model.safetensors');
  const tensors = new Map<string, TensorInfo>();
  for (const t of pf.tensorList) {
    if (!isDtype(t.dtype)) throw new Error(`${out}: the stage's pre-flight gives ${t.name} the unknown dtype ${t.dtype}`);
    const numel = t.shape.reduce((n, d) => n * d, 1);
    tensors.set(t.name, { name: t.name, dtype: t.dtype, shape: [...t.shape], numel, file, offset: 0, byteLength: numel * DTYPE_SIZE[t.dtype] });
  }
  const layerCount = pf.layerCount ?? donor.layerCount;
  let config = donor.config;
  if (config && layerCount !== undefined) {
    const key = LAYER_COUNT_KEYS.find((k) => k in config!) ?? 'num_hidden_layers';
    config = { ...config, [key]: layerCount };
  }
  return { path: out, folder: out, files: [], tensors, ...(config ? { config } : {}), ...(layerCount === undefined ? {} : { layerCount }), ...(donor.architecture ? { architecture: donor.architecture } : {}) };
}
