/**
 * The output's vocabulary: every vocabulary embedding of the output gets the same row count (the
 * smallest among them, e.g. an embedding from one model and a head from another in a
 * frankenmerge), which config.json's vocab_size then reports.
 */
import type { CheckpointInfo } from '../io/types.js';
import { isVocabEmbedding } from './tensor-names.js';
import type { TensorPlan } from './types.js';

/** Sets `rows` where needed; returns the output vocabulary size, or undefined when there is no embedding. */
export function unifyVocabulary(tensors: TensorPlan[], checkpoints: ReadonlyMap<string, CheckpointInfo>, warnings: string[]): number | undefined {
  const vocab = tensors
    .filter((t) => isVocabEmbedding(t.name))
    .map((t) => {
      const src = t.copyFrom ?? t.base ?? t.models[0];
      const shape = checkpoints.get(src.model)?.tensors.get(src.tensor)?.shape ?? [];
      return { t, rows: t.rows ?? shape[0] };
    })
    .filter((v) => v.rows !== undefined);
  if (vocab.length === 0) return undefined;
  const size = Math.min(...vocab.map((v) => v.rows));
  const bigger = vocab.filter((v) => v.rows > size);
  if (bigger.length > 0) {
    const sizes = vocab.map((v) => `'${v.t.name}' ${v.rows}`).join(', ');
    warnings.push(`the output's vocabulary embeddings come with different sizes (${sizes}): all cut to ${size} rows`);
    for (const v of bigger) v.t.rows = size;
  }
  return size;
}
