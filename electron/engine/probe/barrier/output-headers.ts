/**
 * The headers of the model a merge would write (names, shapes, dtypes from the plan; config.json
 * from the donor), so the probe can detect its architecture before any tensor exists.
 */
import type { CheckpointInfo, TensorInfo } from '../../io/types.js';
import type { TensorPlan } from '../../plan/types.js';
import type { CheckpointHeaders } from '../arch/detect-language-model.js';

export function outputHeaders(
  plans: readonly TensorPlan[],
  checkpoints: ReadonlyMap<string, CheckpointInfo>,
  donor: string,
  tieWordEmbeddings?: boolean,
): CheckpointHeaders {
  const donorCk = checkpoints.get(donor);
  if (!donorCk) throw new Error(`donor model '${donor}' was not opened`);
  const tensors = new Map<string, TensorInfo>();
  for (const p of plans) {
    const ref = p.copyFrom ?? p.base ?? p.models[0];
    const src = checkpoints.get(ref.model)?.tensors.get(ref.tensor);
    if (!src) continue;
    const shape = p.rows !== undefined && src.shape.length >= 2 ? [p.rows, ...src.shape.slice(1)] : [...src.shape];
    const numel = shape.reduce((a, b) => a * b, 1);
    tensors.set(p.name, { ...src, name: p.name, shape, numel, dtype: p.outDtype });
  }
  const config = donorCk.config ? { ...donorCk.config } : undefined;
  if (config && tieWordEmbeddings !== undefined) config.tie_word_embeddings = tieWordEmbeddings;
  return { path: donorCk.path, config, tensors };
}
