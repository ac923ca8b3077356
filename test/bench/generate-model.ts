/**
 * Writes a large Llama-shaped bf16 checkpoint for the benchmark, streaming 4 MiB at a time
 * (values from a fast xorshift generator: the benchmark measures throughput, not merge quality).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { layoutSafetensorsFile, type TensorSpec } from '../../electron/engine/io/safetensors-layout.js';

export interface BenchModelShape {
  vocab: number;
  hidden: number;
  intermediate: number;
  kvHidden: number;
  layers: number;
}

/** ≥ 1 GB in bf16: one 128k × 4096 embedding plus two layers of several tensors each. */
export const BENCH_SHAPE: BenchModelShape = { vocab: 128256, hidden: 4096, intermediate: 4096, kvHidden: 1024, layers: 2 };

export function benchTensors(s: BenchModelShape): TensorSpec[] {
  const t: TensorSpec[] = [{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [s.vocab, s.hidden] }];
  for (let l = 0; l < s.layers; l++) {
    const p = `model.layers.${l}.`;
    t.push(
      { name: `${p}input_layernorm.weight`, dtype: 'BF16', shape: [s.hidden] },
      { name: `${p}self_attn.q_proj.weight`, dtype: 'BF16', shape: [s.hidden, s.hidden] },
      { name: `${p}self_attn.k_proj.weight`, dtype: 'BF16', shape: [s.kvHidden, s.hidden] },
      { name: `${p}self_attn.v_proj.weight`, dtype: 'BF16', shape: [s.kvHidden, s.hidden] },
      { name: `${p}self_attn.o_proj.weight`, dtype: 'BF16', shape: [s.hidden, s.hidden] },
      { name: `${p}post_attention_layernorm.weight`, dtype: 'BF16', shape: [s.hidden] },
      { name: `${p}mlp.gate_proj.weight`, dtype: 'BF16', shape: [s.intermediate, s.hidden] },
      { name: `${p}mlp.up_proj.weight`, dtype: 'BF16', shape: [s.intermediate, s.hidden] },
      { name: `${p}mlp.down_proj.weight`, dtype: 'BF16', shape: [s.hidden, s.intermediate] },
    );
  }
  t.push({ name: 'model.norm.weight', dtype: 'BF16', shape: [s.hidden] });
  return t;
}

/** Writes folder/model.safetensors and config.json; returns the file's size. */
export function generateBenchModel(folder: string, shape: BenchModelShape, seed: number): number {
  mkdirSync(folder, { recursive: true });
  const layout = layoutSafetensorsFile(benchTensors(shape));
  const file = join(folder, 'model.safetensors');
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, layout.header, 0, layout.header.length, 0);
    const buf = new Uint16Array(2 * 1024 * 1024);
    const bytes = new Uint8Array(buf.buffer);
    let x = (seed * 2654435761) >>> 0 || 1;
    let pos = layout.header.length;
    while (pos < layout.size) {
      const n = Math.min(buf.length, (layout.size - pos) / 2);
      for (let i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        // sign, an exponent from 2^-7 to 2^-4, 7 mantissa bits: values like real weights (|w| ~ 0.008..0.06).
        buf[i] = ((x >>> 16) & 0x8000) | ((0x78 + ((x >>> 8) & 3)) << 7) | (x & 0x7f);
      }
      writeSync(fd, bytes, 0, n * 2, pos);
      pos += n * 2;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  writeFileSync(
    join(folder, 'config.json'),
    JSON.stringify({
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      hidden_size: shape.hidden,
      intermediate_size: shape.intermediate,
      num_hidden_layers: shape.layers,
      vocab_size: shape.vocab,
      torch_dtype: 'bfloat16',
      tie_word_embeddings: true,
    }),
  );
  return layout.size;
}
