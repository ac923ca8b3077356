/** Which weights a path stands for, refusals (pickles, ambiguity), and config.json handling. */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { closeReadFds } from '../../../electron/engine/io/read-fd-cache.js';
import { writeSafetensorsFile } from '../../../electron/engine/io/write-safetensors.js';
import { expectInputError } from '../../helpers/expect-input-error.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(async () => {
  closeReadFds();
  await removeTempDirs();
});

const LLAMA = resolve(import.meta.dirname, '../../fixtures/tiny-llama');
const one = (name: string) => [{ name, dtype: 'F32' as const, shape: [1], data: new Uint8Array(4) }];

async function folder(files: Record<string, string | 'st'>): Promise<string> {
  const dir = await makeTempDir('open');
  for (const [name, content] of Object.entries(files)) {
    if (content === 'st') await writeSafetensorsFile(join(dir, name), one(`model.layers.3.${name}`));
    else await writeFile(join(dir, name), content);
  }
  return dir;
}

describe('PyTorch pickle checkpoints', () => {
  it('refuses a folder with only pytorch_model*.bin, saying to convert to safetensors', async () => {
    for (const files of <Record<string, string>[]>[
      { 'pytorch_model.bin': 'x', 'config.json': '{}' },
      { 'pytorch_model-00001-of-00002.bin': 'x', 'pytorch_model-00002-of-00002.bin': 'x', 'pytorch_model.bin.index.json': '{}' },
      { 'model.pt': 'x' },
      { 'weights.ckpt': 'x' },
      { 'model.pth': 'x' },
    ]) {
      const dir = await folder(files);
      await expectInputError(() => openCheckpoint(dir), { file: dir, match: /convert .* first/ });
      await expectInputError(() => openCheckpoint(dir), { file: dir, match: /safetensors/ });
    }
  });
  it('refuses a .bin file given directly', async () => {
    const dir = await folder({ 'pytorch_model.bin': 'x' });
    const file = join(dir, 'pytorch_model.bin');
    await expectInputError(() => openCheckpoint(file), { file, match: /PyTorch pickle checkpoint.*convert/ });
  });
  it('prefers safetensors when both are present', async () => {
    const dir = await folder({ 'pytorch_model.bin': 'x', 'model.safetensors': 'st' });
    expect((await openCheckpoint(dir)).files[0].path).toBe(join(dir, 'model.safetensors'));
  });
});

describe('choosing the weight files of a folder', () => {
  it('takes model.safetensors over other .safetensors files (the fixture has reference-full.safetensors)', async () => {
    const ck = await openCheckpoint(LLAMA);
    expect(ck.files.map((f) => f.path)).toEqual([join(LLAMA, 'model.safetensors')]);
  });
  it('takes a single .safetensors file of any name', async () => {
    const dir = await folder({ 'consolidated.safetensors': 'st' });
    expect((await openCheckpoint(dir)).files[0].path).toBe(join(dir, 'consolidated.safetensors'));
  });
  it('refuses several .safetensors files without model.safetensors or an index', async () => {
    const dir = await folder({ 'a.safetensors': 'st', 'b.safetensors': 'st' });
    await expectInputError(() => openCheckpoint(dir), { file: dir, match: /several \.safetensors files \(a\.safetensors, b\.safetensors\)/ });
  });
  it('refuses an empty folder, a missing path, and a file that is not .safetensors', async () => {
    const dir = await folder({ 'README.md': 'hi' });
    await expectInputError(() => openCheckpoint(dir), { file: dir, match: /no \.safetensors weights/ });
    const missing = join(dir, 'nope');
    await expectInputError(() => openCheckpoint(missing), { file: missing, match: /no such file or folder/ });
    const readme = join(dir, 'README.md');
    await expectInputError(() => openCheckpoint(readme), { file: readme, match: /not a \.safetensors file/ });
  });
  it('wants an absolute path (the caller resolves relative ones)', async () => {
    await expect(openCheckpoint('test/fixtures/tiny-llama')).rejects.toThrow(/absolute path/);
  });
});

describe('config.json', () => {
  it('is read from the folder of a file given directly', async () => {
    const ck = await openCheckpoint(join(LLAMA, 'model.safetensors'));
    expect(ck.folder).toBe(LLAMA);
    expect(ck.path).toBe(join(LLAMA, 'model.safetensors'));
    expect(ck.architecture).toBe('LlamaForCausalLM');
  });
  it('refuses invalid JSON, duplicate keys and non-objects, naming config.json', async () => {
    for (const [text, match] of [
      ['{"num_hidden_layers": 2,', /invalid JSON/],
      ['{"a": 1, "a": 2}', /duplicate key "a"/],
      ['[1]', /expected a JSON object/],
    ] as const) {
      const dir = await folder({ 'model.safetensors': 'st', 'config.json': text });
      await expectInputError(() => openCheckpoint(dir), { file: join(dir, 'config.json'), match });
    }
  });
  it('takes the layer count from the config, else from tensor names; architecture from model_type', async () => {
    let dir = await folder({ 'model.safetensors': 'st', 'config.json': '{"n_layer": 12, "model_type": "gpt2"}' });
    let ck = await openCheckpoint(dir);
    expect([ck.layerCount, ck.architecture]).toEqual([12, 'gpt2']);
    dir = await folder({ 'model.safetensors': 'st', 'config.json': '{"model_type": "x"}' });
    ck = await openCheckpoint(dir);
    expect(ck.layerCount).toBe(4); // model.layers.3.* → 4
    expect(ck.config).toEqual({ model_type: 'x' });
  });
  it('accepts a UTF-8 byte order mark', async () => {
    const dir = await folder({ 'model.safetensors': 'st', 'config.json': '\ufeff{"num_layers": 3}' });
    expect((await openCheckpoint(dir)).layerCount).toBe(3);
  });
  it('works through a nested HF folder copy', async () => {
    const dir = await makeTempDir('copy');
    await mkdir(join(dir, 'm'));
    await copyFile(join(LLAMA, 'model.safetensors'), join(dir, 'm', 'model.safetensors'));
    const ck = await openCheckpoint(join(dir, 'm'));
    expect(ck.config).toBeUndefined();
    expect(ck.layerCount).toBe(2);
    expect(ck.files[0].headerSha256).toBe((await openCheckpoint(LLAMA)).files[0].headerSha256);
  });
});
