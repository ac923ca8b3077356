/** Reading the shared tiny fixtures, and the BF16 bit-exactness checks their README prescribes. */
import { copyFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { closeReadFds } from '../../../electron/engine/io/read-fd-cache.js';
import { readTensorBytes } from '../../../electron/engine/io/read-tensor-bytes.js';
import type { CheckpointInfo, TensorInfo } from '../../../electron/engine/io/types.js';
import { encodeSafetensors } from '../../../electron/engine/io/write-safetensors.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures');
const fixture = (name: string) => join(FIXTURES, name);

afterAll(async () => {
  closeReadFds();
  await removeTempDirs();
});

function bytesOf(t: TensorInfo): Uint8Array {
  const dst = new Uint8Array(t.byteLength);
  readTensorBytes(t, 0, t.numel, dst);
  return dst;
}

/** The README's RNE formula, written independently of the engine's. */
function rneBf16(u: number): number {
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

function shapes(ck: CheckpointInfo): Record<string, [string, number[]]> {
  return Object.fromEntries([...ck.tensors.values()].map((t) => [t.name, [t.dtype, t.shape]]));
}

/** Names and shapes from the fixture README (H 64, intermediate 176, vocab 256, 4 heads of 16, 2 kv heads). */
function llamaExpected(dtype: string, opts: { lmHead: boolean; qkvBias: boolean }): Record<string, [string, number[]]> {
  const out: Record<string, [string, number[]]> = { 'model.embed_tokens.weight': [dtype, [256, 64]], 'model.norm.weight': [dtype, [64]] };
  if (opts.lmHead) out['lm_head.weight'] = [dtype, [256, 64]];
  for (const i of [0, 1]) {
    const p = `model.layers.${i}.`;
    out[`${p}input_layernorm.weight`] = [dtype, [64]];
    out[`${p}post_attention_layernorm.weight`] = [dtype, [64]];
    out[`${p}self_attn.q_proj.weight`] = [dtype, [64, 64]];
    out[`${p}self_attn.k_proj.weight`] = [dtype, [32, 64]];
    out[`${p}self_attn.v_proj.weight`] = [dtype, [32, 64]];
    out[`${p}self_attn.o_proj.weight`] = [dtype, [64, 64]];
    out[`${p}mlp.gate_proj.weight`] = [dtype, [176, 64]];
    out[`${p}mlp.up_proj.weight`] = [dtype, [176, 64]];
    out[`${p}mlp.down_proj.weight`] = [dtype, [64, 176]];
    if (opts.qkvBias) {
      out[`${p}self_attn.q_proj.bias`] = [dtype, [64]];
      out[`${p}self_attn.k_proj.bias`] = [dtype, [32]];
      out[`${p}self_attn.v_proj.bias`] = [dtype, [32]];
    }
  }
  return out;
}

describe('tiny-llama', () => {
  it('has the README names, shapes and dtypes, config facts and contiguous 8-aligned data', async () => {
    const ck = await openCheckpoint(fixture('tiny-llama'));
    expect(shapes(ck)).toEqual(llamaExpected('F32', { lmHead: true, qkvBias: false }));
    expect(ck.folder).toBe(fixture('tiny-llama'));
    expect(ck.files.map((f) => f.path)).toEqual([join(fixture('tiny-llama'), 'model.safetensors')]);
    expect(ck.files[0].metadata).toEqual({ format: 'pt' });
    expect(ck.files[0].size).toBe(503136);
    expect(ck.layerCount).toBe(2);
    expect(ck.architecture).toBe('LlamaForCausalLM');
    expect(ck.config?.hidden_size).toBe(64);
    const ts = [...ck.tensors.values()].sort((a, b) => a.offset - b.offset);
    expect(ts[0].offset % 8).toBe(0);
    for (let i = 1; i < ts.length; i++) expect(ts[i].offset).toBe(ts[i - 1].offset + ts[i - 1].byteLength);
    expect(ts[ts.length - 1].offset + ts[ts.length - 1].byteLength).toBe(503136);
  });
});

describe('tiny-qwen2 and tiny-gpt2', () => {
  it('reads Qwen2 (biases, tied: no lm_head)', async () => {
    const ck = await openCheckpoint(fixture('tiny-qwen2'));
    expect(shapes(ck)).toEqual(llamaExpected('F32', { lmHead: false, qkvBias: true }));
    expect(ck.architecture).toBe('Qwen2ForCausalLM');
    expect(ck.layerCount).toBe(2);
  });
  it('reads GPT-2 (n_layer), and counts its layers from `.h.N.` names without a config', async () => {
    const ck = await openCheckpoint(fixture('tiny-gpt2'));
    expect(ck.architecture).toBe('GPT2LMHeadModel');
    expect(ck.layerCount).toBe(2);
    expect(ck.tensors.get('transformer.h.1.attn.c_attn.weight')?.shape).toEqual([64, 192]);
    expect(ck.tensors.get('transformer.wpe.weight')?.shape).toEqual([128, 64]);
    const dir = await makeTempDir('gpt2-noconfig');
    await copyFile(join(fixture('tiny-gpt2'), 'model.safetensors'), join(dir, 'model.safetensors'));
    const bare = await openCheckpoint(dir);
    expect(bare.config).toBeUndefined();
    expect(bare.architecture).toBeUndefined();
    expect(bare.layerCount).toBe(2);
  });
  it('opens the LoRA adapter file by its path', async () => {
    const ck = await openCheckpoint(join(fixture('tiny-lora'), 'adapter_model.safetensors'));
    expect(ck.tensors.size).toBe(8);
    expect(ck.tensors.get('base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight')?.shape).toEqual([32, 4]);
    expect(ck.layerCount).toBe(2);
  });
});

describe('BF16 (tiny-llama-bf16)', () => {
  it('decodes every BF16 tensor to exactly the RNE rounding of the F32 weights', async () => {
    const f32 = await openCheckpoint(fixture('tiny-llama'));
    const bf16 = await openCheckpoint(fixture('tiny-llama-bf16'));
    expect(shapes(bf16)).toEqual(llamaExpected('BF16', { lmHead: true, qkvBias: false }));
    const backend = new TsBackend();
    let elements = 0;
    for (const t of bf16.tensors.values()) {
      const decoded = new Float32Array(t.numel);
      backend.decode('BF16', bytesOf(t), decoded, t.numel);
      const source = new Uint32Array(bytesOf(f32.tensors.get(t.name)!).buffer);
      const got = new Uint32Array(decoded.buffer);
      for (let i = 0; i < t.numel; i++) {
        if (got[i] !== (rneBf16(source[i]) << 16) >>> 0) throw new Error(`${t.name}[${i}]: ${got[i].toString(16)}`);
      }
      elements += t.numel;
    }
    expect(elements).toBe(125248);
  });

  it('encodes tiny-llama F32 to BF16 bit for bit like the fixture, and writes the identical file', async () => {
    const f32 = await openCheckpoint(fixture('tiny-llama'));
    const bf16 = await openCheckpoint(fixture('tiny-llama-bf16'));
    const backend = new TsBackend();
    const names = [...f32.tensors.keys()].sort();
    const converted = names.map((name) => {
      const t = f32.tensors.get(name)!;
      const data = new Uint8Array(t.numel * 2);
      backend.encode('BF16', new Float32Array(bytesOf(t).buffer), data, t.numel);
      expect(Buffer.from(data).equals(bytesOf(bf16.tensors.get(name)!)), name).toBe(true);
      return { name, dtype: 'BF16' as const, shape: t.shape, data };
    });
    // Same header layout as the fixture's writer: sorted names, format pt, space padding.
    const file = encodeSafetensors(converted);
    expect(Buffer.from(file).equals(readFileSync(join(fixture('tiny-llama-bf16'), 'model.safetensors')))).toBe(true);
  });

  it('rounds rounding-cases.safetensors f32 to the expected bf16_rne bits', async () => {
    const ck = await openCheckpoint(join(fixture('tiny-llama-bf16'), 'rounding-cases.safetensors'));
    const f = ck.tensors.get('f32')!;
    const expected = ck.tensors.get('bf16_rne')!;
    expect([f.dtype, f.shape, expected.dtype, expected.shape]).toEqual(['F32', [28], 'BF16', [28]]);
    const out = new Uint8Array(56);
    new TsBackend().encode('BF16', new Float32Array(bytesOf(f).buffer), out, 28);
    expect([...new Uint16Array(out.buffer)]).toEqual([...new Uint16Array(bytesOf(expected).buffer)]);
    // Independent check of the expected bits themselves: the README formula on the f32 bits.
    const u = new Uint32Array(bytesOf(f).buffer);
    expect([...new Uint16Array(bytesOf(expected).buffer)]).toEqual([...u].map(rneBf16));
  });
});
