/** Tensor-name facts the graph checks need (the engine's own naming rules live in electron/engine). */

/** Embedding-like tensors may differ in vocabulary (row) count across inputs (spec §0). */
export function isEmbeddingLike(name: string): boolean {
  return /(embed_tokens|wte|lm_head|embed_out|word_embeddings|tok_embeddings)/.test(name);
}
