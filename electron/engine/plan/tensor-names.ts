/**
 * What a tensor's name says about its place in the model: its layer (and how to renumber it), which
 * side of the layer stack it sits on, whether it is a vocabulary embedding, and whether it is a
 * buffer that must never be merged.
 */

/** A layer tensor's name split around its layer index: `${prefix}${layer}${suffix}`. */
export interface LayerName {
  prefix: string;
  layer: number;
  suffix: string;
}

// The same convention as io/layers.ts's layerIndexOf (`.layers.N.`, `.h.N.`, `.blocks.N.`, also at
// the start of the name); only the first index counts, so Mixtral's experts.7 is kept as it is.
const LAYER = /(^|\.)(?:layers|h|blocks)\.(\d+)(?=\.|$)/;

export function splitLayerName(name: string): LayerName | null {
  const m = LAYER.exec(name);
  if (!m) return null;
  const layer = Number(m[2]);
  if (!Number.isSafeInteger(layer)) return null;
  const end = m.index + m[0].length;
  const prefix = name.slice(0, end - m[2].length);
  return { prefix, layer, suffix: name.slice(end) };
}

export function withLayer(name: LayerName, layer: number): string {
  return `${name.prefix}${layer}${name.suffix}`;
}

/** Output heads and final norms come after the layer stack; everything else outside it before. */
const AFTER_STACK = /(^|\.)(lm_head|embed_out|ln_f|final_layer_norm|final_layernorm|norm_f|norm|score|classifier)\.[^.]+$|^output\.weight$/;

export function stackSide(name: string): 'pre' | 'post' {
  return AFTER_STACK.test(name) ? 'post' : 'pre';
}

/** Tensors with one row per vocabulary entry (position embeddings are not among them). */
const VOCAB = /(^|\.)(embed_tokens|lm_head|wte|word_embeddings|embed_in|embed_out|tok_embeddings|shared)\.weight$|^output\.weight$/;

export function isVocabEmbedding(name: string): boolean {
  return VOCAB.test(name);
}

/** Buffers saved with some checkpoints that are not weights: GPT-2's causal mask, rotary inverse frequencies. */
const NEVER_MERGED = /(^|\.)attn\.(bias|masked_bias)$|\.rotary_emb\.inv_freq$/;

export function isNeverMerged(name: string): boolean {
  return NEVER_MERGED.test(name);
}
