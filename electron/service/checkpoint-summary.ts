/** CheckpointInfo (engine, with Maps and offsets) → CheckpointSummary (contract: metadata only). */
import type { CheckpointSummary } from '../../common/contract/checkpoint.js';
import { layerIndexOf } from '../engine/io/layers.js';
import type { CheckpointInfo } from '../engine/io/types.js';
import { tensorGroup } from '../engine/run/tensor-group.js';

export function summarizeCheckpoint(info: CheckpointInfo): CheckpointSummary {
  const byDtype = new Map<string, number>();
  let parameterCount = 0;
  const tensors: CheckpointSummary['tensors'] = [];
  for (const t of info.tensors.values()) {
    parameterCount += t.numel;
    byDtype.set(t.dtype, (byDtype.get(t.dtype) ?? 0) + t.numel);
    tensors.push({ name: t.name, shape: [...t.shape], dtype: t.dtype, layer: layerIndexOf(t.name), group: tensorGroup(t.name) });
  }
  const meta = info.files[0]?.metadata ?? {};
  const crucibleOutput = meta['crucible.graph'] !== undefined ? 'graph' : meta['crucible.recipe'] !== undefined ? 'recipe' : undefined;
  let dtype = 'unknown';
  let most = -1;
  for (const [d, n] of byDtype) if (n > most) [dtype, most] = [d, n];
  return {
    path: info.path,
    folder: info.folder,
    architecture: info.architecture ?? null,
    layerCount: info.layerCount ?? null,
    parameterCount,
    dtype,
    fileCount: info.files.length,
    totalBytes: info.files.reduce((s, f) => s + f.size, 0),
    tensors,
    ...(crucibleOutput === undefined ? {} : { crucibleOutput }),
  };
}
