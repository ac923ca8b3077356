/** The shared test helpers others build on: HF-layout Llama checkpoints and the whole-checkpoint reader. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { closeReadFds } from '../../../electron/engine/io/read-fd-cache.js';
import { makeLlamaCheckpoint, writeHfCheckpoint } from '../../helpers/hf-checkpoint.js';
import { makeRng } from '../../helpers/prng.js';
import { readCheckpointF32, readCheckpointRaw } from '../../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(async () => {
  closeReadFds();
  await removeTempDirs();
});

describe('makeLlamaCheckpoint', () => {
  it('writes HF Llama names and shapes, config.json and tokenizer stubs', async () => {
    const ck = await makeLlamaCheckpoint({ layers: 3, hidden: 8, intermediate: 12, vocab: 10, heads: 2, kvHeads: 1 });
    const info = await openCheckpoint(ck.dir);
    const shapes = Object.fromEntries([...info.tensors.values()].map((t) => [t.name, t.shape]));
    expect(Object.keys(shapes).length).toBe(3 * 9 + 3);
    expect(shapes['model.embed_tokens.weight']).toEqual([10, 8]);
    expect(shapes['lm_head.weight']).toEqual([10, 8]);
    expect(shapes['model.norm.weight']).toEqual([8]);
    expect(shapes['model.layers.2.input_layernorm.weight']).toEqual([8]);
    expect(shapes['model.layers.2.self_attn.q_proj.weight']).toEqual([8, 8]);
    expect(shapes['model.layers.2.self_attn.k_proj.weight']).toEqual([4, 8]);
    expect(shapes['model.layers.0.self_attn.v_proj.weight']).toEqual([4, 8]);
    expect(shapes['model.layers.1.self_attn.o_proj.weight']).toEqual([8, 8]);
    expect(shapes['model.layers.1.post_attention_layernorm.weight']).toEqual([8]);
    expect(shapes['model.layers.1.mlp.gate_proj.weight']).toEqual([12, 8]);
    expect(shapes['model.layers.1.mlp.up_proj.weight']).toEqual([12, 8]);
    expect(shapes['model.layers.1.mlp.down_proj.weight']).toEqual([8, 12]);
    expect(info.layerCount).toBe(3);
    expect(info.architecture).toBe('LlamaForCausalLM');
    expect(info.config).toMatchObject({ num_hidden_layers: 3, vocab_size: 10, torch_dtype: 'float32', tie_word_embeddings: false });
    expect(existsSync(join(ck.dir, 'tokenizer.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(ck.dir, 'tokenizer_config.json'), 'utf8')).eos_token).toBe('</s>');
  });

  it('is deterministic per seed; norms near 1, matrices near 0', async () => {
    const a = await makeLlamaCheckpoint({ seed: 3 });
    const b = await makeLlamaCheckpoint({ seed: 3 });
    const c = await makeLlamaCheckpoint({ seed: 4 });
    const name = 'model.layers.1.mlp.up_proj.weight';
    expect(a.tensors.get(name)).toEqual(b.tensors.get(name));
    expect(a.tensors.get(name)).not.toEqual(c.tensors.get(name));
    const norm = a.tensors.get('model.norm.weight')!;
    expect(norm.every((v) => v > 0.5 && v < 1.5)).toBe(true);
    expect(a.tensors.get(name)!.every((v) => Math.abs(v) < 0.5)).toBe(true);
  });

  it('stores BF16 values (what it reports is what a reader decodes) with torch_dtype bfloat16', async () => {
    const ck = await makeLlamaCheckpoint({ dtype: 'BF16', tieWordEmbeddings: true });
    expect(ck.tensors.has('lm_head.weight')).toBe(false);
    expect(ck.config).toMatchObject({ torch_dtype: 'bfloat16', tie_word_embeddings: true });
    const raw = await readCheckpointRaw(ck.dir);
    expect([...raw.values()].every((t) => t.dtype === 'BF16')).toBe(true);
    const back = await readCheckpointF32(ck.dir);
    for (const [name, v] of ck.tensors) {
      expect(back.get(name)).toEqual(v);
      expect(new Uint32Array(v.buffer).every((u) => (u & 0xffff) === 0)).toBe(true);
    }
  });

  it('shards with an index when asked, and takes given values', async () => {
    const ck = await makeLlamaCheckpoint({
      shardSizeBytes: 2048,
      dtype: 'F16',
      values: (name, shape) => (name === 'model.norm.weight' ? new Array(shape[0]).fill(0.5) : undefined),
    });
    expect(ck.files.length).toBeGreaterThan(1);
    expect(ck.files[0]).toMatch(/^model-00001-of-\d{5}\.safetensors$/);
    expect(existsSync(join(ck.dir, 'model.safetensors.index.json'))).toBe(true);
    const back = await readCheckpointF32(ck.dir);
    expect([...back.get('model.norm.weight')!]).toEqual(new Array(16).fill(0.5));
    for (const [name, v] of ck.tensors) expect(back.get(name)).toEqual(v);
  });
});

describe('writeHfCheckpoint and readCheckpointF32', () => {
  it('round-trips arbitrary tensors, rounding to the dtype (F16: 0.1 → 0.0999755859375)', async () => {
    const target = join(await makeTempDir('whf'), 'nested', 'out');
    const { dir, tensors } = await writeHfCheckpoint(target, [{ name: 'w', shape: [2, 2], values: [1, 2, 0.1, -4] }], { dtype: 'F16' });
    expect(dir).toBe(target);
    expect([...tensors.get('w')!]).toEqual([1, 2, 0.0999755859375, -4]);
    expect([...(await readCheckpointF32(dir)).get('w')!]).toEqual([1, 2, 0.0999755859375, -4]);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });
});

describe('makeRng', () => {
  it('gives uniform numbers in [0, 1) with the right mean, reproducibly', () => {
    const r = makeRng(1);
    const xs = Array.from({ length: 20000 }, () => r.uniform());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((a, b) => a + b) / xs.length - 0.5)).toBeLessThan(0.01);
    expect(makeRng(1).uniform()).toBe(xs[0]);
    const ns = makeRng(2).floats(20000);
    const mean = ns.reduce((a, b) => a + b) / ns.length;
    const variance = ns.reduce((a, b) => a + (b - mean) ** 2, 0) / ns.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
