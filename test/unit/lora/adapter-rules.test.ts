/** LoRA adapter rules on small hand-built adapters: scaling variants, layouts, replacements, and the refusals. */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../electron/engine/io/types.js';
import { openLoraModel } from '../../../electron/engine/lora/lora-checkpoint.js';
import { readTensorF32 } from '../../../electron/engine/probe/stream/read-tensor-f32.js';
import { writeHfCheckpoint, type TensorInput } from '../../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

const P = 'base_model.model.';

async function setup(base: TensorInput[], adapter: TensorInput[], config: Record<string, unknown>, adapterDtype: 'F32' | 'BF16' = 'F32') {
  const baseDir = await makeTempDir('lora-base');
  await writeHfCheckpoint(baseDir, base, { config: { architectures: ['X'] }, tokenizer: false });
  const adapterDir = await makeTempDir('lora-adapter');
  await writeHfCheckpoint(adapterDir, adapter, { dtype: adapterDtype });
  await rename(join(adapterDir, 'model.safetensors'), join(adapterDir, 'adapter_model.safetensors'));
  await writeFile(join(adapterDir, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', ...config }));
  const workDir = await makeTempDir('lora-work');
  return { baseDir, adapterDir, workDir };
}

async function apply(base: TensorInput[], adapter: TensorInput[], config: Record<string, unknown>) {
  const { baseDir, adapterDir, workDir } = await setup(base, adapter, config);
  const r = await openLoraModel(baseDir, adapterDir, { workDir });
  return (name: string) => Array.from(readTensorF32(r.checkpoint.tensors.get(name)!));
}

async function refusal(base: TensorInput[], adapter: TensorInput[], config: Record<string, unknown>): Promise<InputError> {
  const { baseDir, adapterDir, workDir } = await setup(base, adapter, config);
  try {
    await openLoraModel(baseDir, adapterDir, { workDir });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

const zeros = (n: number) => new Array<number>(n).fill(0);
const linearBase: TensorInput[] = [{ name: 'layers.0.q.weight', shape: [2, 3], values: [1, 2, 3, 4, 5, 6] }];
// B·A = [[1, 2, 3], [-1, -2, -3]] for A = [[1, 2, 3]], B = [[1], [-1]] (rank 1).
const rankOne: TensorInput[] = [
  { name: `${P}layers.0.q.lora_A.weight`, shape: [1, 3], values: [1, 2, 3] },
  { name: `${P}layers.0.q.lora_B.weight`, shape: [2, 1], values: [1, -1] },
];

describe('LoRA update W + scale·B·A', () => {
  it('scales by alpha / r (alpha 0.5, r 1: W + 0.5·B·A)', async () => {
    const get = await apply(linearBase, rankOne, { r: 1, lora_alpha: 0.5, target_modules: ['q'] });
    expect(get('layers.0.q.weight')).toEqual([1.5, 3, 4.5, 3.5, 4, 4.5]);
  });

  it('scales by alpha / sqrt(r) with use_rslora (r 4, alpha 8: ×4, not ×2)', async () => {
    const A = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // [4, 3]: only rank component 0, row [1, 0, 0]
    const B = [1, 0, 0, 0, 0, 0, 0, 0]; // [2, 4]
    const adapter = [
      { name: `${P}layers.0.q.lora_A.weight`, shape: [4, 3], values: A },
      { name: `${P}layers.0.q.lora_B.weight`, shape: [2, 4], values: B },
    ];
    const rs = await apply(linearBase, adapter, { r: 4, lora_alpha: 8, use_rslora: true, target_modules: ['q'] });
    expect(rs('layers.0.q.weight')).toEqual([5, 2, 3, 4, 5, 6]);
    const plain = await apply(linearBase, adapter, { r: 4, lora_alpha: 8, target_modules: ['q'] });
    expect(plain('layers.0.q.weight')).toEqual([3, 2, 3, 4, 5, 6]);
  });

  it('takes rank_pattern and alpha_pattern per module (first matching key)', async () => {
    const base = [...linearBase, { name: 'layers.0.k.weight', shape: [2, 3], values: zeros(6) }];
    const adapter = [
      ...rankOne,
      { name: `${P}layers.0.k.lora_A.weight`, shape: [1, 3], values: [1, 2, 3] },
      { name: `${P}layers.0.k.lora_B.weight`, shape: [2, 1], values: [1, -1] },
    ];
    const get = await apply(base, adapter, { r: 2, rank_pattern: { q: 1, k: 1 }, lora_alpha: 1, alpha_pattern: { 'layers\\.0\\.k': 3 }, target_modules: ['q', 'k'] });
    expect(get('layers.0.q.weight')).toEqual([2, 4, 6, 3, 3, 3]);
    expect(get('layers.0.k.weight')).toEqual([3, 6, 9, -3, -6, -9]);
  });

  it('writes (B·A)ᵀ for fan_in_fan_out layers stored [in, out]', async () => {
    const base = [{ name: 'h.0.c_fc.weight', shape: [3, 2], values: zeros(6) }];
    const adapter = [
      { name: `${P}h.0.c_fc.lora_A.weight`, shape: [1, 3], values: [1, 2, 3] },
      { name: `${P}h.0.c_fc.lora_B.weight`, shape: [2, 1], values: [1, -1] },
    ];
    const get = await apply(base, adapter, { r: 1, lora_alpha: 1, fan_in_fan_out: true, target_modules: ['c_fc'] });
    expect(get('h.0.c_fc.weight')).toEqual([1, -1, 2, -2, 3, -3]);
  });

  it('applies embedding LoRA as (B·A)ᵀ onto [vocab, dim]', async () => {
    const base = [{ name: 'embed_tokens.weight', shape: [3, 2], values: zeros(6) }];
    const adapter = [
      { name: `${P}embed_tokens.lora_embedding_A`, shape: [1, 3], values: [1, 2, 3] },
      { name: `${P}embed_tokens.lora_embedding_B`, shape: [2, 1], values: [1, -1] },
    ];
    const get = await apply(base, adapter, { r: 1, lora_alpha: 2, target_modules: ['embed_tokens'] });
    expect(get('embed_tokens.weight')).toEqual([2, -2, 4, -4, 6, -6]);
  });

  it('accepts adapter names that keep the adapter name (lora_A.default.weight)', async () => {
    const adapter = rankOne.map((t) => ({ ...t, name: t.name.replace('.weight', '.default.weight') }));
    const get = await apply(linearBase, adapter, { r: 1, lora_alpha: 1, target_modules: 'layers\\.\\d+\\.q' });
    expect(get('layers.0.q.weight')).toEqual([2, 4, 6, 3, 3, 3]);
  });

  it('replaces modules_to_save tensors whole', async () => {
    const base = [...linearBase, { name: 'lm_head.weight', shape: [2, 2], values: [1, 1, 1, 1] }];
    const adapter = [...rankOne, { name: `${P}lm_head.modules_to_save.weight`, shape: [2, 2], values: [7, 8, 9, 10] }];
    const get = await apply(base, adapter, { r: 1, lora_alpha: 1, target_modules: ['q'], modules_to_save: ['lm_head'] });
    expect(get('lm_head.weight')).toEqual([7, 8, 9, 10]);
  });
});

describe('refusals name the adapter file and tensor', () => {
  it('a factor without its partner', async () => {
    const e = await refusal(linearBase, [rankOne[0]], { r: 1, target_modules: ['q'] });
    expect(e.message).toMatch(/lora_B missing/);
    expect(e.file).toMatch(/adapter_model\.safetensors$/);
    expect(e.tensor).toBe(`${P}layers.0.q.lora_A.weight`);
  });

  it('a rank that disagrees with r', async () => {
    const e = await refusal(linearBase, rankOne, { r: 8, target_modules: ['q'] });
    expect(e.message).toMatch(/rank 1, adapter_config\.json says r = 8/);
  });

  it('a module outside target_modules', async () => {
    const e = await refusal(linearBase, rankOne, { r: 1, target_modules: ['v_proj'] });
    expect(e.message).toMatch(/target_modules/);
    expect(e.tensor).toBe(`${P}layers.0.q.lora_A.weight`);
  });

  it('an update whose shape does not fit the base tensor', async () => {
    const base = [{ name: 'layers.0.q.weight', shape: [3, 2], values: zeros(6) }];
    const e = await refusal(base, rankOne, { r: 1, target_modules: ['q'] });
    expect(e.message).toMatch(/\[2, 3\].*\[3, 2\]/);
  });

  it('a module the base does not have', async () => {
    const e = await refusal([{ name: 'other.weight', shape: [1], values: [0] }], rankOne, { r: 1, target_modules: ['q'] });
    expect(e.message).toMatch(/layers\.0\.q\.weight, which the base model/);
  });

  it('DoRA adapters and other PEFT types', async () => {
    expect((await refusal(linearBase, rankOne, { r: 1, use_dora: true })).message).toMatch(/DoRA/);
    expect((await refusal(linearBase, rankOne, { r: 1, peft_type: 'IA3' })).message).toMatch(/IA3.*not supported/);
    const dora = [...rankOne, { name: `${P}layers.0.q.lora_magnitude_vector`, shape: [2], values: [1, 1] }];
    expect((await refusal(linearBase, dora, { r: 1 })).message).toMatch(/DoRA/);
  });

  it('a pickle adapter (adapter_model.bin)', async () => {
    const dir = await makeTempDir('lora-bin');
    await writeFile(join(dir, 'adapter_model.bin'), 'x');
    await writeFile(join(dir, 'adapter_config.json'), '{"r": 1}');
    const base = await makeTempDir('lora-base');
    await writeHfCheckpoint(base, linearBase, {});
    await expect(openLoraModel(base, dir, { workDir: dir })).rejects.toThrow(/adapter_model\.bin.*safetensors/);
  });
});
