/**
 * Tied embeddings (spec §0): a checkpoint without `lm_head.weight` whose config ties word
 * embeddings uses its input embedding as the output head. When other inputs have a separate head,
 * such a checkpoint contributes its embedding matrix as `lm_head.weight`.
 */
import type { CheckpointInfo } from '../io/types.js';

export const HEAD = 'lm_head.weight';

/** Input embedding names, by architecture family, tried in order. */
const EMBEDDINGS = ['model.embed_tokens.weight', 'transformer.wte.weight', 'model.decoder.embed_tokens.weight', 'wte.weight', 'embed_tokens.weight'];

/** The input embedding a tying checkpoint uses as its head, or undefined when it does not tie. */
export function tiedEmbeddingName(ck: CheckpointInfo): string | undefined {
  if (ck.tensors.has(HEAD) || ck.config?.tie_word_embeddings !== true) return undefined;
  return EMBEDDINGS.find((n) => ck.tensors.has(n));
}
