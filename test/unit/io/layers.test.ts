import { describe, expect, it } from 'vitest';
import { architectureFromConfig, layerCountFromConfig } from '../../../electron/engine/io/hf-config.js';
import { layerCountFromNames, layerIndexOf } from '../../../electron/engine/io/layers.js';

describe('layerIndexOf', () => {
  it.each([
    ['model.layers.12.mlp.up_proj.weight', 12],
    ['transformer.h.3.attn.c_attn.weight', 3],
    ['h.0.ln_1.weight', 0],
    ['rwkv.blocks.7.att.key.weight', 7],
    ['blocks.10.ffn.weight', 10],
    ['model.layers.5', 5],
    ['model.layers.2.block_sparse_moe.experts.7.w1.weight', 2],
    ['model.embed_tokens.weight', null],
    ['lm_head.weight', null],
    ['model.layers.x.mlp.weight', null],
    ['model.hidden.3.weight', null],
    ['model.sublayers.3.weight', null],
    ['model.layers3.weight', null],
  ])('%s → %s', (name, expected) => {
    expect(layerIndexOf(name)).toBe(expected);
  });

  it('counts layers as max index + 1 (gaps do not matter), undefined when none', () => {
    expect(layerCountFromNames(['model.layers.0.a', 'model.layers.4.b', 'model.norm.weight'])).toBe(5);
    expect(layerCountFromNames(['wte.weight'])).toBeUndefined();
  });
});

describe('config facts', () => {
  it('takes the layer count from the first key present, in order', () => {
    expect(layerCountFromConfig({ num_hidden_layers: 32, n_layer: 3 })).toBe(32);
    expect(layerCountFromConfig({ n_layer: 12 })).toBe(12);
    expect(layerCountFromConfig({ num_layers: 24 })).toBe(24);
    expect(layerCountFromConfig({ n_layers: 6 })).toBe(6);
    expect(layerCountFromConfig({ num_hidden_layers: 'x', n_layers: 6 })).toBe(6);
    expect(layerCountFromConfig({ num_hidden_layers: 2.5 })).toBeUndefined();
    expect(layerCountFromConfig({})).toBeUndefined();
  });
  it('takes the architecture from architectures[0], else model_type', () => {
    expect(architectureFromConfig({ architectures: ['MistralForCausalLM', 'X'], model_type: 'mistral' })).toBe('MistralForCausalLM');
    expect(architectureFromConfig({ architectures: [], model_type: 'mistral' })).toBe('mistral');
    expect(architectureFromConfig({ model_type: 'gpt2' })).toBe('gpt2');
    expect(architectureFromConfig({})).toBeUndefined();
  });
});
