/**
 * Every header check of the safetensors and index readers, end to end: `crucible merge` on a recipe
 * whose model is a corrupt file exits with status 2, names the file, and writes nothing.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSafetensors } from '../helpers/raw-safetensors.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, jsonLines, runCli } from './cli.js';

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });
const ok = { 'model.norm.weight': f32([2], 0, 8) };

/** name → the bytes of model.safetensors (or a function that builds a folder), and the tensor the error must name. */
const CASES: [string, Uint8Array | ((dir: string) => Promise<string>), string?][] = [
  ['shorter than 8 bytes', new Uint8Array([1, 2, 3])],
  ['header length beyond the file', rawSafetensors(ok, 8, { headerLength: 4096n })],
  ['header length over 100,000,000 bytes', rawSafetensors(ok, 8, { headerLength: 200_000_000n })],
  ['invalid UTF-8', rawSafetensors(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 0)],
  ['invalid JSON', rawSafetensors('{"a": ', 0)],
  ['duplicate keys', rawSafetensors('{"a": {"dtype":"F32","shape":[1],"data_offsets":[0,4]}, "a": {"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4)],
  ['unknown dtype', rawSafetensors({ w: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, 1)],
  ['F8 dtype', rawSafetensors({ w: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, 1)],
  ['shape × dtype ≠ byte range', rawSafetensors({ w: f32([3], 0, 8) }, 8)],
  ['offsets outside the data section', rawSafetensors({ w: f32([2], 8, 16) }, 8)],
  ['overlapping ranges', rawSafetensors({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12)],
  // The safetensors reference reader (and so transformers) refuses both of these.
  ['a gap between tensors', rawSafetensors({ a: f32([2], 0, 8), b: f32([2], 12, 20) }, 20), 'b'],
  ['bytes after the last tensor', rawSafetensors(ok, 12)],
  [
    'an index naming a shard outside the folder',
    async (dir) => {
      await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: { w: '../evil.safetensors' } }));
      return join(dir, 'model.safetensors.index.json');
    },
  ],
  [
    'an index naming a missing shard',
    async (dir) => {
      await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: { w: 'model-00001-of-00001.safetensors' } }));
      return join(dir, 'model.safetensors.index.json');
    },
  ],
  [
    'an index naming a tensor its shard lacks',
    async (dir) => {
      await writeFile(join(dir, 'model-00001-of-00001.safetensors'), rawSafetensors(ok, 8));
      await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: { other: 'model-00001-of-00001.safetensors' } }));
      return join(dir, 'model.safetensors.index.json');
    },
  ],
];

let root: string;
beforeAll(async () => {
  assertBuilt();
  root = await makeTempDir('corrupt');
});
afterAll(removeTempDirs);

describe('crucible merge on corrupt inputs', () => {
  it.each(CASES)('%s: exit 2, the file named, nothing written', async (label, content, tensor) => {
    const dir = join(root, label.replace(/[^a-z0-9]+/gi, '-'));
    await mkdir(dir);
    let culprit = join(dir, 'model.safetensors');
    if (typeof content === 'function') culprit = await content(dir);
    else await writeFile(culprit, content);
    const recipe = join(dir, 'recipe.yaml');
    await writeFile(recipe, `merge_method: linear\nmodels:\n  - model: ${dir}\n    parameters: {weight: 1}\n`);
    const out = join(dir, 'out');
    const res = await runCli(['merge', recipe, '--out', out, '--json']);
    expect(res.code, res.stdout + res.stderr).toBe(2);
    const err = jsonLines(res.stdout).at(-1)!;
    expect(err.type).toBe('error');
    expect(`${String(err.file)} ${String(err.message)}`).toContain(dir);
    if (tensor !== undefined) {
      expect(err.tensor).toBe(tensor);
      expect(err.message).toContain(JSON.stringify(tensor));
    }
    expect(existsSync(out)).toBe(false);
  });

  it('accepts shards that are symlinks, as in the Hugging Face cache', async () => {
    const dir = join(root, 'symlinked');
    const blobs = join(root, 'blobs');
    await mkdir(dir);
    await mkdir(blobs);
    await writeFile(join(blobs, 'abc123'), rawSafetensors(ok, 8));
    await symlink(join(blobs, 'abc123'), join(dir, 'model-00001-of-00001.safetensors'));
    await writeFile(
      join(dir, 'model.safetensors.index.json'),
      JSON.stringify({ metadata: { total_size: 8 }, weight_map: { 'model.norm.weight': 'model-00001-of-00001.safetensors' } }),
    );
    const res = await runCli(['inspect', dir, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).tensors).toEqual([{ name: 'model.norm.weight', dtype: 'F32', shape: [2] }]);
  });
});
