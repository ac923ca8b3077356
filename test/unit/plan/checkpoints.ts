/** In-memory CheckpointInfo objects (headers only, no files) for planner tests. */
import type { Dtype } from '../../../electron/engine/io/dtype.js';
import { DTYPE_SIZE } from '../../../electron/engine/io/dtype.js';
import type { CheckpointInfo, TensorInfo } from '../../../electron/engine/io/types.js';

export type TensorSpecs = Record<string, [Dtype, number[]]>;

export function checkpoint(path: string, tensors: TensorSpecs, config?: Record<string, unknown>, layerCount?: number): CheckpointInfo {
  const file = `${path}/model.safetensors`;
  let offset = 1024;
  const map = new Map<string, TensorInfo>();
  for (const [name, [dtype, shape]] of Object.entries(tensors)) {
    const numel = shape.reduce((a, b) => a * b, 1);
    const byteLength = numel * DTYPE_SIZE[dtype];
    map.set(name, { name, dtype, shape, numel, file, offset, byteLength });
    offset += byteLength;
  }
  return {
    path,
    folder: path,
    files: [{ path: file, size: offset, headerSha256: '0'.repeat(64), metadata: {} }],
    tensors: map,
    config,
    layerCount,
  };
}

export const LAYER_SUFFIXES = [
  'input_layernorm.weight',
  'mlp.down_proj.weight',
  'mlp.gate_proj.weight',
  'mlp.up_proj.weight',
  'post_attention_layernorm.weight',
  'self_attn.k_proj.weight',
  'self_attn.o_proj.weight',
  'self_attn.q_proj.weight',
  'self_attn.v_proj.weight',
];

export interface LlamaOptions {
  layers: number;
  vocab?: number;
  hidden?: number;
  dtype?: Dtype;
  /** No lm_head.weight; config.tie_word_embeddings true. */
  tied?: boolean;
  omit?: string[];
  extra?: TensorSpecs;
}

/** A Llama-named checkpoint with tiny shapes, tensors in safetensors' (sorted) order. */
export function llama(path: string, o: LlamaOptions): CheckpointInfo {
  const h = o.hidden ?? 4;
  const v = o.vocab ?? 10;
  const d = o.dtype ?? 'BF16';
  const t: TensorSpecs = {};
  if (!o.tied) t['lm_head.weight'] = [d, [v, h]];
  t['model.embed_tokens.weight'] = [d, [v, h]];
  for (let i = 0; i < o.layers; i++) {
    for (const s of LAYER_SUFFIXES) {
      const shape = s.endsWith('layernorm.weight') ? [h] : s.includes('mlp') ? (s.includes('down') ? [h, 2 * h] : [2 * h, h]) : [h, h];
      t[`model.layers.${i}.${s}`] = [d, shape];
    }
  }
  t['model.norm.weight'] = [d, [h]];
  Object.assign(t, o.extra ?? {});
  for (const n of o.omit ?? []) delete t[n];
  const sorted = Object.fromEntries(Object.entries(t).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return checkpoint(path, sorted, { num_hidden_layers: o.layers, vocab_size: v, tie_word_embeddings: o.tied ?? false }, o.layers);
}

/** Checkpoints for every key, as planMerge takes them. */
export function inputs(entries: Record<string, CheckpointInfo>): Map<string, CheckpointInfo> {
  return new Map(Object.entries(entries));
}
