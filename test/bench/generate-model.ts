/**
 * Writes a large Llama-shaped bf16 checkpoint for the benchmark, streaming 4 MiB at a time
 * (values from a fast xorshift generator: the benchmark measures throughput, not merge quality).
 */
import { closeSync, copyFileSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
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

/**
 * Writes folder/model.safetensors as a fine-tune of the base checkpoint in baseFolder (same header
 * and layout): each bf16 value moves by −2..+2 units in the last place (one in five stays), as
 * weights do when a fine-tune is stored in bf16. Task vectors of such models take few distinct
 * values, unlike two unrelated random models: the value at a TIES cut is shared by a large share
 * of a tensor, and histogram counters see the same few values again and again.
 */
export function generateFineTune(baseFolder: string, folder: string, seed: number): number {
  mkdirSync(folder, { recursive: true });
  copyFileSync(join(baseFolder, 'config.json'), join(folder, 'config.json'));
  const src = openSync(join(baseFolder, 'model.safetensors'), 'r');
  const dst = openSync(join(folder, 'model.safetensors'), 'w');
  try {
    const size = fstatSync(src).size;
    const len = Buffer.alloc(8);
    readSync(src, len, 0, 8, 0);
    const headerEnd = 8 + Number(len.readBigUInt64LE(0));
    const header = Buffer.alloc(headerEnd);
    readSync(src, header, 0, headerEnd, 0);
    writeSync(dst, header, 0, headerEnd, 0);
    const buf = new Uint16Array(2 * 1024 * 1024);
    const bytes = new Uint8Array(buf.buffer);
    let x = (seed * 2654435761) >>> 0 || 1;
    for (let pos = headerEnd; pos < size; ) {
      const got = readSync(src, bytes, 0, Math.min(bytes.length, size - pos), pos);
      for (let i = 0; i < got / 2; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const magnitude = (buf[i] & 0x7fff) + ((x >>> 8) % 5) - 2;
        buf[i] = (buf[i] & 0x8000) | Math.max(0, magnitude);
      }
      writeSync(dst, bytes, 0, got, pos);
      pos += got;
    }
    fsyncSync(dst);
    return size;
  } finally {
    closeSync(src);
    closeSync(dst);
  }
}
