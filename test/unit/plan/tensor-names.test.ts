/** Tensor-name rules: layer numbers, stack sides, vocabulary embeddings, buffers. */
import { describe, expect, it } from 'vitest';
import { layerIndexOf } from '../../../electron/engine/io/layers.js';
import { isNeverMerged, isVocabEmbedding, splitLayerName, stackSide, withLayer } from '../../../electron/engine/plan/tensor-names.js';

const NAMES = [
  'model.layers.12.self_attn.q_proj.weight',
  'model.layers.3.block_sparse_moe.experts.7.w1.weight',
  'transformer.h.0.attn.c_attn.weight',
  'h.11.mlp.c_fc.bias',
  'gpt_neox.layers.5.attention.dense.weight',
  'transformer.blocks.2.ffn.weight',
  'model.embed_tokens.weight',
  'lm_head.weight',
  'model.norm.weight',
  'model.layers_extra.4.weight',
];

describe('layer names', () => {
  it('agree with the checkpoint reader on the layer index', () => {
    for (const n of NAMES) expect(splitLayerName(n)?.layer ?? null).toBe(layerIndexOf(n));
  });

  it('renumber only the layer, never an expert index', () => {
    expect(withLayer(splitLayerName('model.layers.3.block_sparse_moe.experts.7.w1.weight')!, 40)).toBe('model.layers.40.block_sparse_moe.experts.7.w1.weight');
    expect(withLayer(splitLayerName('h.11.mlp.c_fc.bias')!, 2)).toBe('h.2.mlp.c_fc.bias');
    expect(withLayer(splitLayerName('model.layers.12.self_attn.q_proj.weight')!, 7)).toBe('model.layers.7.self_attn.q_proj.weight');
  });
});

describe('sides of the stack', () => {
  it('embeddings before; final norms and heads after', () => {
    expect(['model.embed_tokens.weight', 'transformer.wte.weight', 'transformer.wpe.weight', 'gpt_neox.embed_in.weight'].map(stackSide)).toEqual(['pre', 'pre', 'pre', 'pre']);
    expect(['lm_head.weight', 'model.norm.weight', 'transformer.ln_f.bias', 'embed_out.weight', 'gpt_neox.final_layer_norm.weight'].map(stackSide)).toEqual([
      'post',
      'post',
      'post',
      'post',
      'post',
    ]);
  });
});

describe('kinds of tensors', () => {
  it('vocabulary embeddings, not position embeddings', () => {
    expect(['model.embed_tokens.weight', 'lm_head.weight', 'transformer.wte.weight', 'bert.embeddings.word_embeddings.weight'].every(isVocabEmbedding)).toBe(true);
    expect(['transformer.wpe.weight', 'model.norm.weight', 'model.layers.0.mlp.up_proj.weight'].some(isVocabEmbedding)).toBe(false);
  });

  it("GPT-2's mask buffers are never merged; its c_attn bias is a weight", () => {
    expect(isNeverMerged('transformer.h.0.attn.bias')).toBe(true);
    expect(isNeverMerged('h.3.attn.masked_bias')).toBe(true);
    expect(isNeverMerged('model.layers.0.self_attn.rotary_emb.inv_freq')).toBe(true);
    expect(isNeverMerged('transformer.h.0.attn.c_attn.bias')).toBe(false);
  });
});
