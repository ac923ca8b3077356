/**
 * Small Hugging Face-layout checkpoints for tests, written to a temp folder from float arrays.
 *
 *   // A 2-layer Llama, F32, one model.safetensors, config.json, tokenizer stubs, seed 0:
 *   const ck = await makeLlamaCheckpoint();
 *   ck.dir;                                   // the folder (pass it to openCheckpoint / a recipe)
 *   ck.tensors.get('model.layers.0.mlp.up_proj.weight');   // Float32Array, values AS STORED
 *
 *   // BF16, 3 layers, sharded into several files with model.safetensors.index.json:
 *   await makeLlamaCheckpoint({ layers: 3, dtype: 'BF16', shardSizeBytes: 4096, seed: 7 });
 *
 *   // Your own values (e.g. a fine-tune = base + delta), everything else as usual:
 *   await makeLlamaCheckpoint({ values: (name, shape, rng) => ... });
 *
 *   // Any tensor set in HF layout (no Llama naming):
 *   await writeHfCheckpoint(dir, [{ name: 'w', shape: [2, 2], values: [1, 2, 3, 4] }], { dtype: 'F16' });
 *
 * `tensors` holds each tensor's values after rounding to the stored dtype (decoded back to
 * float32), so expectations computed from it match what a reader gets. Tensor names are HF's:
 * model.embed_tokens.weight, model.layers.N.{input_layernorm, self_attn.{q,k,v,o}_proj,
 * post_attention_layernorm, mlp.{gate,up,down}_proj}.weight, model.norm.weight, lm_head.weight
 * (absent when tieWordEmbeddings). Default values: norms 1 + 0.1·N(0,1), others 0.08·N(0,1).
 * Call removeTempDirs() (temp-dir.ts) in afterAll to clean up.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TsBackend } from '../../electron/engine/backend/ts-backend.js';
import { DTYPE_SIZE, TORCH_DTYPE, type FloatDtype } from '../../electron/engine/io/dtype.js';
import { planShards } from '../../electron/engine/io/shards.js';
import { makeRng, type Rng } from './prng.js';
import { makeTempDir } from './temp-dir.js';

export interface LlamaOptions {
  /** Decoder layers (default 2). */
  layers?: number;
  /** hidden_size (default 16). */
  hidden?: number;
  /** intermediate_size (default 32). */
  intermediate?: number;
  /** vocab_size (default 32). */
  vocab?: number;
  /** num_attention_heads (default 4) and num_key_value_heads (default 2); head_dim = hidden / heads. */
  heads?: number;
  kvHeads?: number;
  /** Stored dtype (default F32). */
  dtype?: FloatDtype;
  /** PRNG seed for the values (default 0). */
  seed?: number;
  /** When set, shard the weights with at most this many data bytes per file (index json written). */
  shardSizeBytes?: number;
  /** Tied embeddings: no lm_head.weight, tie_word_embeddings: true (default false). */
  tieWordEmbeddings?: boolean;
  /** Folder to write into (default: a fresh temp folder). */
  dir?: string;
  /** Extra or overriding config.json keys. */
  config?: Record<string, unknown>;
  /** Write tokenizer.json and tokenizer_config.json stubs (default true). */
  tokenizer?: boolean;
  /** Replaces the default values of any tensor; return undefined to keep the default. */
  values?: (name: string, shape: number[], rng: Rng) => Float32Array | number[] | undefined;
  /** safetensors __metadata__ besides format: pt. */
  metadata?: Record<string, string>;
}

export interface TensorInput {
  name: string;
  shape: number[];
  values: Float32Array | number[];
}

export interface WriteOptions {
  dtype?: FloatDtype;
  shardSizeBytes?: number;
  /** config.json content; none written when absent. */
  config?: Record<string, unknown>;
  /** Write tokenizer stubs (default: true when a config is written). */
  tokenizer?: boolean;
  metadata?: Record<string, string>;
}

export interface BuiltCheckpoint {
  dir: string;
  /** Values as stored (rounded to the dtype), by tensor name, in write order. */
  tensors: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
  /** Weight file names written (model.safetensors or model-0000i-of-0000n.safetensors). */
  files: string[];
  config?: Record<string, unknown>;
}

/** Names and shapes of a Llama checkpoint, in HF's order. */
export function llamaTensorShapes(opts: LlamaOptions = {}): { name: string; shape: number[] }[] {
  const { layers = 2, hidden = 16, intermediate = 32, vocab = 32, heads = 4, kvHeads = 2 } = opts;
  const headDim = hidden / heads;
  if (!Number.isInteger(headDim)) throw new Error(`hidden ${hidden} is not a multiple of heads ${heads}`);
  const kv = kvHeads * headDim;
  const out: { name: string; shape: number[] }[] = [{ name: 'model.embed_tokens.weight', shape: [vocab, hidden] }];
  for (let i = 0; i < layers; i++) {
    const p = `model.layers.${i}.`;
    out.push(
      { name: `${p}input_layernorm.weight`, shape: [hidden] },
      { name: `${p}self_attn.q_proj.weight`, shape: [hidden, hidden] },
      { name: `${p}self_attn.k_proj.weight`, shape: [kv, hidden] },
      { name: `${p}self_attn.v_proj.weight`, shape: [kv, hidden] },
      { name: `${p}self_attn.o_proj.weight`, shape: [hidden, hidden] },
      { name: `${p}post_attention_layernorm.weight`, shape: [hidden] },
      { name: `${p}mlp.gate_proj.weight`, shape: [intermediate, hidden] },
      { name: `${p}mlp.up_proj.weight`, shape: [intermediate, hidden] },
      { name: `${p}mlp.down_proj.weight`, shape: [hidden, intermediate] },
    );
  }
  out.push({ name: 'model.norm.weight', shape: [hidden] });
  if (!opts.tieWordEmbeddings) out.push({ name: 'lm_head.weight', shape: [vocab, hidden] });
  return out;
}

/** config.json of a Llama checkpoint built with these options. */
export function llamaConfig(opts: LlamaOptions = {}): Record<string, unknown> {
  const { layers = 2, hidden = 16, intermediate = 32, vocab = 32, heads = 4, kvHeads = 2, dtype = 'F32' } = opts;
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: vocab,
    hidden_size: hidden,
    intermediate_size: intermediate,
    num_hidden_layers: layers,
    num_attention_heads: heads,
    num_key_value_heads: kvHeads,
    head_dim: hidden / heads,
    hidden_act: 'silu',
    max_position_embeddings: 128,
    rms_norm_eps: 1e-5,
    rope_theta: 10000.0,
    tie_word_embeddings: opts.tieWordEmbeddings ?? false,
    torch_dtype: TORCH_DTYPE[dtype],
    ...opts.config,
  };
}

export async function makeLlamaCheckpoint(opts: LlamaOptions = {}): Promise<BuiltCheckpoint> {
  const rng = makeRng(opts.seed ?? 0);
  const tensors: TensorInput[] = llamaTensorShapes(opts).map(({ name, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    // Defaults are drawn even when overridden, so one tensor's override leaves the others' values unchanged.
    const dflt = name.endsWith('norm.weight') ? rng.floats(n, 0.1, 1) : rng.floats(n, 0.08);
    const given = opts.values?.(name, shape, rng);
    if (given !== undefined && given.length !== n) throw new Error(`values for ${name}: ${given.length} given, ${n} needed`);
    return { name, shape, values: given ?? dflt };
  });
  const dir = opts.dir ?? (await makeTempDir('llama'));
  return writeHfCheckpoint(dir, tensors, {
    dtype: opts.dtype,
    shardSizeBytes: opts.shardSizeBytes,
    config: llamaConfig(opts),
    tokenizer: opts.tokenizer,
    metadata: opts.metadata,
  });
}

const backend = new TsBackend();

/** Writes tensors (rounded to `dtype`, default F32) in HF layout into `dir` (created if needed). */
export async function writeHfCheckpoint(dir: string, tensors: TensorInput[], opts: WriteOptions = {}): Promise<BuiltCheckpoint> {
  const dtype = opts.dtype ?? 'F32';
  await mkdir(dir, { recursive: true });
  const layout = planShards(
    tensors.map((t) => ({ name: t.name, dtype, shape: t.shape })),
    opts.shardSizeBytes ?? Number.MAX_SAFE_INTEGER,
    opts.metadata ?? {},
  );
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const stored = new Map<string, Float32Array>();
  const shapes = new Map<string, number[]>();
  for (const file of layout.files) {
    const bytes = new Uint8Array(file.size);
    bytes.set(file.header);
    for (const placed of file.tensors) {
      const t = byName.get(placed.name)!;
      const src = Float32Array.from(t.values);
      const n = placed.byteLength / DTYPE_SIZE[dtype];
      if (src.length !== n) throw new Error(`${t.name}: ${src.length} values for shape [${t.shape.join(', ')}]`);
      const enc = new Uint8Array(placed.byteLength);
      backend.encode(dtype, src, enc, n);
      bytes.set(enc, placed.offset);
      const back = new Float32Array(n);
      backend.decode(dtype, enc, back, n);
      stored.set(t.name, back);
      shapes.set(t.name, [...t.shape]);
    }
    await writeFile(join(dir, file.name), bytes);
  }
  if (layout.index) await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify(layout.index, null, 2) + '\n');
  if (opts.config) await writeFile(join(dir, 'config.json'), JSON.stringify(opts.config, null, 2) + '\n');
  if (opts.tokenizer ?? opts.config !== undefined) await writeTokenizerStubs(dir);
  return { dir, tensors: stored, shapes, files: layout.files.map((f) => f.name), config: opts.config };
}

/** tokenizer.json (an empty-merges BPE) and tokenizer_config.json: enough for file-copy checks. */
export async function writeTokenizerStubs(dir: string): Promise<void> {
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: null,
    model: { type: 'BPE', dropout: null, unk_token: '<unk>', vocab: { '<unk>': 0, '<s>': 1, '</s>': 2 }, merges: [] },
  };
  const config = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: '<s>',
    eos_token: '</s>',
    unk_token: '<unk>',
    model_max_length: 128,
  };
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer, null, 2) + '\n');
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(config, null, 2) + '\n');
}
