/** Sharded HF folders: reading them, and every index json check. */
import { mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { closeReadFds } from '../../../electron/engine/io/read-fd-cache.js';
import { writeSafetensorsFile } from '../../../electron/engine/io/write-safetensors.js';
import { expectInputError } from '../../helpers/expect-input-error.js';
import { makeLlamaCheckpoint } from '../../helpers/hf-checkpoint.js';
import { readCheckpointF32 } from '../../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(async () => {
  closeReadFds();
  await removeTempDirs();
});

const f32 = (name: string, values: number[]) => ({ name, dtype: 'F32' as const, shape: [values.length], data: new Uint8Array(Float32Array.from(values).buffer) });

/** A folder with shards a.safetensors (x, y) and b.safetensors (z) and the given index. */
async function folderWithIndex(index: unknown, opts: { raw?: boolean } = {}): Promise<{ dir: string; indexFile: string }> {
  const dir = await makeTempDir('sharded');
  await writeSafetensorsFile(join(dir, 'a.safetensors'), [f32('x', [1, 2]), f32('y', [3])]);
  await writeSafetensorsFile(join(dir, 'b.safetensors'), [f32('z', [4, 5, 6])]);
  const indexFile = join(dir, 'model.safetensors.index.json');
  await writeFile(indexFile, opts.raw ? (index as string) : JSON.stringify(index));
  return { dir, indexFile };
}

const goodMap = { x: 'a.safetensors', y: 'a.safetensors', z: 'b.safetensors' };

describe('reading a sharded folder', () => {
  it('gives every tensor with its own shard file, one WeightFileInfo per shard', async () => {
    const { dir } = await folderWithIndex({ metadata: { total_size: 24 }, weight_map: goodMap });
    const ck = await openCheckpoint(dir);
    expect(ck.files.map((f) => f.path)).toEqual([join(dir, 'a.safetensors'), join(dir, 'b.safetensors')]);
    expect([...ck.tensors.values()].map((t) => [t.name, t.file])).toEqual([
      ['x', join(dir, 'a.safetensors')],
      ['y', join(dir, 'a.safetensors')],
      ['z', join(dir, 'b.safetensors')],
    ]);
    const values = await readCheckpointF32(dir);
    expect(Object.fromEntries([...values].map(([k, v]) => [k, [...v]]))).toEqual({ x: [1, 2], y: [3], z: [4, 5, 6] });
  });

  it('reads a sharded Llama made by the test helper, values equal to those written', async () => {
    const built = await makeLlamaCheckpoint({ layers: 3, shardSizeBytes: 3000, dtype: 'BF16', seed: 5 });
    expect(built.files.length).toBeGreaterThan(2);
    const ck = await openCheckpoint(built.dir);
    expect(ck.files.length).toBe(built.files.length);
    expect(ck.layerCount).toBe(3);
    const back = await readCheckpointF32(built.dir);
    expect([...back.keys()].sort()).toEqual([...built.tensors.keys()].sort());
    for (const [name, v] of built.tensors) expect(back.get(name), name).toEqual(v);
  });

  it('follows symlinked shards, as in the HF cache (snapshots/<rev>/ → ../../blobs/<hash>)', async () => {
    const { dir } = await folderWithIndex({ weight_map: goodMap });
    const snapshot = join(dir, 'snapshots', 'rev1');
    await mkdir(snapshot, { recursive: true });
    await mkdir(join(dir, 'blobs'));
    for (const [name, blob] of [['a.safetensors', 'h1'], ['b.safetensors', 'h2']]) {
      await rename(join(dir, name), join(dir, 'blobs', blob));
      await symlink(join('..', '..', 'blobs', blob), join(snapshot, name));
    }
    await rename(join(dir, 'model.safetensors.index.json'), join(snapshot, 'model.safetensors.index.json'));
    const ck = await openCheckpoint(snapshot);
    expect(ck.tensors.get('z')?.file).toBe(join(snapshot, 'b.safetensors'));
    expect([...(await readCheckpointF32(snapshot)).get('z')!]).toEqual([4, 5, 6]);
  });

  it('accepts the index json path itself', async () => {
    const { indexFile } = await folderWithIndex({ weight_map: goodMap });
    expect((await openCheckpoint(indexFile)).tensors.size).toBe(3);
  });
});

describe('index json checks', () => {
  it('refuses invalid JSON and duplicate keys', async () => {
    let { indexFile } = await folderWithIndex('{"weight_map": {', { raw: true });
    await expectInputError(() => openCheckpoint(indexFile), { file: indexFile, match: /invalid JSON/ });
    ({ indexFile } = await folderWithIndex('{"weight_map": {"x": "a.safetensors", "x": "b.safetensors"}}', { raw: true }));
    await expectInputError(() => openCheckpoint(indexFile), { file: indexFile, match: /duplicate key "x"/ });
  });

  it('refuses a missing or malformed weight_map', async () => {
    for (const [index, match] of [
      [{ metadata: {} }, /missing "weight_map"/],
      [{ weight_map: ['a.safetensors'] }, /"weight_map" is not an object/],
      [[], /expected a JSON object/],
    ] as const) {
      const { indexFile } = await folderWithIndex(index);
      await expectInputError(() => openCheckpoint(indexFile), { file: indexFile, match });
    }
    const { indexFile } = await folderWithIndex({ weight_map: { ...goodMap, z: 7 } });
    await expectInputError(() => openCheckpoint(indexFile), { file: indexFile, tensor: 'z', match: /not a file name/ });
  });

  it('refuses shard names that are not plain file names in the folder', async () => {
    for (const shard of ['../b.safetensors', 'sub/b.safetensors', 'sub\\b.safetensors', '/tmp/b.safetensors', '..', '.', '', 'C:b.safetensors']) {
      const { indexFile } = await folderWithIndex({ weight_map: { ...goodMap, z: shard } });
      await expectInputError(() => openCheckpoint(indexFile), { file: indexFile, tensor: 'z', match: /not a plain file name/ });
    }
  });

  it('refuses a missing shard, naming it', async () => {
    const { indexFile, dir } = await folderWithIndex({ weight_map: { ...goodMap, z: 'c.safetensors' } });
    const err = await expectInputError(() => openCheckpoint(indexFile), { file: indexFile, match: /is missing/ });
    expect(err.message).toContain(join(dir, 'c.safetensors'));
  });

  it('refuses a tensor mapped to a shard that does not contain it', async () => {
    const { indexFile } = await folderWithIndex({ weight_map: { ...goodMap, z: 'a.safetensors', w: 'b.safetensors' } });
    const err = await expectInputError(() => openCheckpoint(indexFile), { file: indexFile, tensor: 'z', match: /mapped to a\.safetensors, which does not contain it/ });
    expect(err.file).toContain('a.safetensors');
    const missing = await folderWithIndex({ weight_map: { ...goodMap, ghost: 'b.safetensors' } });
    await expectInputError(() => openCheckpoint(missing.indexFile), { file: missing.indexFile, tensor: 'ghost', match: /does not contain it/ });
  });

  it('refuses a tensor present in two shards, naming both', async () => {
    const { indexFile, dir } = await folderWithIndex({ weight_map: goodMap });
    await writeSafetensorsFile(join(dir, 'b.safetensors'), [f32('z', [4, 5, 6]), f32('y', [9])]);
    const err = await expectInputError(() => openCheckpoint(indexFile), { file: indexFile, tensor: 'y', match: /present in two shards/ });
    expect(err.message).toContain(join(dir, 'a.safetensors'));
    expect(err.message).toContain(join(dir, 'b.safetensors'));
  });

  it('passes a corrupt shard header through as an error naming the shard', async () => {
    const { indexFile, dir } = await folderWithIndex({ weight_map: goodMap });
    const shard = join(dir, 'b.safetensors');
    const bytes = await readFile(shard);
    await writeFile(shard, bytes.subarray(0, 6));
    await expectInputError(() => openCheckpoint(indexFile), { file: shard, match: /shorter than the 8-byte/ });
  });
});
