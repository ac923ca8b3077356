/**
 * The editor opens a model reference as `crucible merge` resolves it: a hub id that is no folder
 * is found in the local Hugging Face cache (HF_HUB_CACHE), or named as a hub id with how to fetch it.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { ROOT, assertBuilt } from './cli.js';
import { withRealService } from './real-service.js';

let dir: string;
const saved = process.env.HF_HUB_CACHE;

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('service-model-refs');
  // The cache layout: models--org--name/refs/main names the snapshot folder holding the files.
  const repo = join(dir, 'hub', 'models--tiny-org--tiny-llama');
  mkdirSync(join(repo, 'refs'), { recursive: true });
  writeFileSync(join(repo, 'refs', 'main'), 'abc123');
  cpSync(join(ROOT, 'test', 'fixtures', 'tiny-llama'), join(repo, 'snapshots', 'abc123'), { recursive: true });
  process.env.HF_HUB_CACHE = join(dir, 'hub');
});
afterAll(async () => {
  if (saved === undefined) delete process.env.HF_HUB_CACHE;
  else process.env.HF_HUB_CACHE = saved;
  await removeTempDirs();
});

describe('checkpoint.open of a hub id', () => {
  it('finds it in the local Hugging Face cache', async () => {
    await withRealService(join(dir, 'config-1'), async (service) => {
      const s = await service.api['checkpoint.open']({ path: 'tiny-org/tiny-llama', baseDir: dir });
      expect(s.path).toBe(join(dir, 'hub', 'models--tiny-org--tiny-llama', 'snapshots', 'abc123'));
      expect(s.architecture).toBe('LlamaForCausalLM');
    });
  });
  it('names one not in the cache as a hub id, with how to fetch it', async () => {
    await withRealService(join(dir, 'config-2'), async (service) => {
      await expect(service.api['checkpoint.open']({ path: 'some-org/some-model', baseDir: dir })).rejects.toThrow(
        /model 'some-org\/some-model' is not available locally: no folder .*, and not in the Hugging Face cache .*huggingface-cli download some-org\/some-model/,
      );
    });
  });
});
