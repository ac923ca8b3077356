#!/usr/bin/env node
// Generates the demo project's checkpoints: three tiny Llama-shaped models (a base and two
// "fine-tunes" = base + seeded deltas), a few hundred KB each, so the bundled demo merges in
// well under a second. Deterministic: running it again writes the same bytes.
//   node assets/demo/generate.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const HIDDEN = 48;
const INTER = 128;
const LAYERS = 8;
const HEADS = 4;
const KV_HEADS = 2;
const HEAD_DIM = HIDDEN / HEADS;
const VOCAB = 256;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand) {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function tensorShapes() {
  const t = [['model.embed_tokens.weight', [VOCAB, HIDDEN]]];
  for (let i = 0; i < LAYERS; i++) {
    const p = `model.layers.${i}.`;
    t.push([`${p}input_layernorm.weight`, [HIDDEN]]);
    t.push([`${p}self_attn.q_proj.weight`, [HEADS * HEAD_DIM, HIDDEN]]);
    t.push([`${p}self_attn.k_proj.weight`, [KV_HEADS * HEAD_DIM, HIDDEN]]);
    t.push([`${p}self_attn.v_proj.weight`, [KV_HEADS * HEAD_DIM, HIDDEN]]);
    t.push([`${p}self_attn.o_proj.weight`, [HIDDEN, HEADS * HEAD_DIM]]);
    t.push([`${p}post_attention_layernorm.weight`, [HIDDEN]]);
    t.push([`${p}mlp.gate_proj.weight`, [INTER, HIDDEN]]);
    t.push([`${p}mlp.up_proj.weight`, [INTER, HIDDEN]]);
    t.push([`${p}mlp.down_proj.weight`, [HIDDEN, INTER]]);
  }
  t.push(['model.norm.weight', [HIDDEN]]);
  t.push(['lm_head.weight', [VOCAB, HIDDEN]]);
  return t;
}

function baseWeights() {
  const rand = mulberry32(1234);
  const out = new Map();
  for (const [name, shape] of tensorShapes()) {
    const n = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(n);
    const isNorm = name.endsWith('norm.weight');
    for (let i = 0; i < n; i++) a[i] = isNorm ? 1 + 0.1 * normal(rand) : 0.08 * normal(rand);
    out.set(name, { shape, data: a });
  }
  return out;
}

/**
 * base + a delta: `keep` of the entries move by 0.02·N(0,1). The demo uses keep = 1, as in a real
 * fine-tune, where every weight moves: then every TIES density below 1 trims something (with
 * sparse deltas, a density above the share of moved entries kept them all and did nothing).
 */
function fineTune(base, seed, keep) {
  const rand = mulberry32(seed);
  const out = new Map();
  for (const [name, t] of base) {
    const a = Float32Array.from(t.data);
    for (let i = 0; i < a.length; i++) if (rand() < keep) a[i] = Math.fround(a[i] + 0.02 * normal(rand));
    out.set(name, { shape: t.shape, data: a });
  }
  return out;
}

function safetensors(tensors) {
  const names = [...tensors.keys()].sort();
  const header = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const name of names) {
    const { shape, data } = tensors.get(name);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const buf = Buffer.alloc(8 + json.length + offset);
  buf.writeBigUInt64LE(BigInt(json.length), 0);
  buf.write(json, 8, 'utf8');
  let at = 8 + json.length;
  for (const name of names) {
    const { data } = tensors.get(name);
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(buf, at);
    at += data.byteLength;
  }
  return buf;
}

function config() {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: HIDDEN,
    intermediate_size: INTER,
    num_hidden_layers: LAYERS,
    num_attention_heads: HEADS,
    num_key_value_heads: KV_HEADS,
    head_dim: HEAD_DIM,
    vocab_size: VOCAB,
    max_position_embeddings: 128,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
  };
}

function write(name, tensors) {
  const dir = join(here, 'models', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.safetensors'), safetensors(tensors));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config(), null, 2) + '\n');
}

const base = baseWeights();
write('base', base);
write('math', fineTune(base, 77, 1));
write('code', fineTune(base, 99, 1));
process.stdout.write(`demo checkpoints written to ${join(here, 'models')}\n`);
