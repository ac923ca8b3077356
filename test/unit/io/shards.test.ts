/** Output layout (planShards) and the whole-file writer, checked by hand-computed sizes and by reading back. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { closeReadFds } from '../../../electron/engine/io/read-fd-cache.js';
import { readTensorBytes } from '../../../electron/engine/io/read-tensor-bytes.js';
import { planShards, shardFileName } from '../../../electron/engine/io/shards.js';
import { encodeSafetensors, writeSafetensorsFile, type TensorWithData } from '../../../electron/engine/io/write-safetensors.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(async () => {
  closeReadFds();
  await removeTempDirs();
});

/** F32 tensors of the given byte sizes (multiples of 4), named t0, t1... */
const specs = (...bytes: number[]) => bytes.map((b, i) => ({ name: `t${i}`, dtype: 'F32' as const, shape: [b / 4] }));

function headerJson(header: Uint8Array): { n: number; text: string } {
  const n = Number(new DataView(header.buffer, header.byteOffset).getBigUint64(0, true));
  return { n, text: new TextDecoder().decode(header.subarray(8)) };
}

describe('planShards', () => {
  it('puts everything in model.safetensors when it fits, with no index', () => {
    const layout = planShards(specs(40, 8, 12), 1000, { recipe: 'r' });
    expect(layout.files.map((f) => f.name)).toEqual(['model.safetensors']);
    expect(layout.index).toBeUndefined();
    expect(layout.totalSize).toBe(60);
    const f = layout.files[0];
    const h = f.header.length;
    expect(h % 8).toBe(0);
    expect(f.tensors.map((t) => [t.name, t.offset, t.byteLength])).toEqual([
      ['t0', h, 40],
      ['t1', h + 40, 8],
      ['t2', h + 48, 12],
    ]);
    expect(f.size).toBe(h + 60);
  });

  it('writes the header as 8-byte LE length + JSON (metadata first, format pt) padded with spaces', () => {
    const f = planShards(specs(8), 100, { a: 'x"y' }).files[0];
    const { n, text } = headerJson(f.header);
    expect(8 + n).toBe(f.header.length);
    const json = '{"__metadata__":{"format":"pt","a":"x\\"y"},"t0":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(text).toBe(json + ' '.repeat(n - json.length));
    expect(n - json.length).toBeLessThan(8);
  });

  it('splits greedily in the given order; an oversized tensor gets its own shard', () => {
    // 40+40 = 80 ≤ 100; +40 > 100 → new; 40+152 > 100 → new; 152 alone; +12 > 100 → new; 12+60 = 72; +32 > 100 → new.
    const layout = planShards(specs(40, 40, 40, 152, 12, 60, 32), 100, {});
    const groups = layout.files.map((f) => f.tensors.map((t) => t.name));
    expect(groups).toEqual([['t0', 't1'], ['t2'], ['t3'], ['t4', 't5'], ['t6']]);
    expect(layout.files.map((f) => f.name)).toEqual([
      'model-00001-of-00005.safetensors',
      'model-00002-of-00005.safetensors',
      'model-00003-of-00005.safetensors',
      'model-00004-of-00005.safetensors',
      'model-00005-of-00005.safetensors',
    ]);
    expect(layout.totalSize).toBe(376);
    expect(layout.index).toEqual({
      metadata: { total_size: 376 },
      weight_map: {
        t0: 'model-00001-of-00005.safetensors',
        t1: 'model-00001-of-00005.safetensors',
        t2: 'model-00002-of-00005.safetensors',
        t3: 'model-00003-of-00005.safetensors',
        t4: 'model-00004-of-00005.safetensors',
        t5: 'model-00004-of-00005.safetensors',
        t6: 'model-00005-of-00005.safetensors',
      },
    });
    for (const f of layout.files) {
      expect(f.header.length % 8).toBe(0);
      expect(f.tensors[0].offset).toBe(f.header.length);
      const last = f.tensors[f.tensors.length - 1];
      expect(f.size).toBe(last.offset + last.byteLength);
    }
  });

  it('fills a shard exactly to the limit, and sizes dtypes correctly', () => {
    const layout = planShards(
      [
        { name: 'a', dtype: 'BF16', shape: [10, 3] }, // 60
        { name: 'b', dtype: 'I64', shape: [5] }, // 40 → 100 exactly
        { name: 'c', dtype: 'BOOL', shape: [1] }, // 1 → new shard
      ],
      100,
      {},
    );
    expect(layout.files.map((f) => f.tensors.map((t) => t.byteLength))).toEqual([[60, 40], [1]]);
    expect(layout.index?.metadata.total_size).toBe(101);
  });

  it('handles an empty tensor list and names shards with 5-digit numbers', () => {
    const empty = planShards([], 10, {});
    expect(empty.files.length).toBe(1);
    expect(empty.files[0].size).toBe(empty.files[0].header.length);
    expect(shardFileName(11, 123)).toBe('model-00012-of-00123.safetensors');
  });

  it('refuses a bad shard size, duplicate names and a tensor named __metadata__', () => {
    for (const size of [0, -1, 1.5, NaN]) expect(() => planShards(specs(4), size, {})).toThrow(/shard size/);
    expect(() => planShards([...specs(4), ...specs(8)], 100, {})).toThrow(/"t0" given twice/);
    expect(() => planShards([{ name: '__metadata__', dtype: 'F32', shape: [1] }], 100, {})).toThrow(/__metadata__/);
  });

  it('keeps a tensor named __proto__ as an ordinary weight_map key', () => {
    const layout = planShards([{ name: '__proto__', dtype: 'U8', shape: [8] }, ...specs(8)], 8, {});
    const text = JSON.stringify(layout.index);
    expect(text).toContain('"weight_map":{"__proto__":"model-00001-of-00002.safetensors","t0":"model-00002-of-00002.safetensors"}');
  });
});

describe('writeSafetensorsFile', () => {
  const tensors: TensorWithData[] = [
    { name: 'w', dtype: 'F32', shape: [2, 2], data: new Uint8Array(Float32Array.from([1, -2, 0.5, 3]).buffer) },
    { name: 'ids', dtype: 'I64', shape: [3], data: new Uint8Array(BigInt64Array.from([1n, -5n, 2n ** 40n]).buffer) },
    { name: 'mask', dtype: 'BOOL', shape: [3], data: Uint8Array.from([1, 0, 1]) },
    { name: 'h', dtype: 'BF16', shape: [1], data: Uint8Array.from([0x80, 0x3f]) },
    { name: 'none', dtype: 'F16', shape: [0], data: new Uint8Array(0) },
  ];

  it('writes a file the reader reads back exactly (names, dtypes, shapes, bytes, metadata)', async () => {
    const file = join(await makeTempDir('write'), 'out.safetensors');
    await writeSafetensorsFile(file, tensors, { recipe: 'merge: x', seed: '7' });
    const ck = await openCheckpoint(file);
    expect(ck.files[0].metadata).toEqual({ format: 'pt', recipe: 'merge: x', seed: '7' });
    expect([...ck.tensors.keys()]).toEqual(['w', 'ids', 'mask', 'h', 'none']);
    for (const t of tensors) {
      const info = ck.tensors.get(t.name)!;
      expect([info.dtype, info.shape]).toEqual([t.dtype, t.shape]);
      const back = new Uint8Array(info.byteLength);
      readTensorBytes(info, 0, info.numel, back);
      expect([...back]).toEqual([...t.data]);
    }
    expect(readFileSync(file).length).toBe(ck.files[0].size);
    expect(ck.files[0].size).toBe((await openCheckpoint(file)).tensors.get('h')!.offset + 2);
  });

  it('writes the same bytes as planShards plans for one file', () => {
    const bytes = encodeSafetensors(tensors, { k: 'v' });
    const plan = planShards(tensors, 1e9, { k: 'v' }).files[0];
    expect(bytes.length).toBe(plan.size);
    expect([...bytes.subarray(0, plan.header.length)]).toEqual([...plan.header]);
    expect([...bytes.subarray(plan.tensors[1].offset, plan.tensors[1].offset + 24)]).toEqual([...tensors[1].data]);
  });

  it('refuses data whose length does not match shape × dtype size', () => {
    expect(() => encodeSafetensors([{ name: 'bad', dtype: 'F32', shape: [3], data: new Uint8Array(8) }])).toThrow(/"bad": 8 bytes of data.*need 12/);
  });
});
