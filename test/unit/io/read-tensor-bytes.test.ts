/** Positioned reads: ranges, the 4 MiB chunk limit into the caller's buffer, the fd cache, and errors. */
import * as fs from 'node:fs';
import { truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { closeReadFds, openReadFdCount } from '../../../electron/engine/io/read-fd-cache.js';
import { MAX_READ_BYTES, readTensorBytes } from '../../../electron/engine/io/read-tensor-bytes.js';
import { writeSafetensorsFile } from '../../../electron/engine/io/write-safetensors.js';
import { expectInputError } from '../../helpers/expect-input-error.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

vi.mock('node:fs', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:fs')>();
  return { ...orig, readSync: vi.fn(orig.readSync) };
});
const readSync = vi.mocked(fs.readSync);

beforeEach(() => {
  closeReadFds();
  readSync.mockClear();
});
afterAll(async () => {
  closeReadFds();
  await removeTempDirs();
});

async function fileWith(tensors: Parameters<typeof writeSafetensorsFile>[1]): Promise<string> {
  const file = join(await makeTempDir('read'), 'm.safetensors');
  await writeSafetensorsFile(file, tensors);
  return file;
}

describe('readTensorBytes', () => {
  it('reads any element range of a tensor', async () => {
    const values = Float32Array.from({ length: 10 }, (_, i) => i * 1.5);
    const file = await fileWith([
      { name: 'pad', dtype: 'U8', shape: [3], data: Uint8Array.from([7, 7, 7]) },
      { name: 'v', dtype: 'F32', shape: [10], data: new Uint8Array(values.buffer) },
    ]);
    const t = (await openCheckpoint(file)).tensors.get('v')!;
    const dst = new Uint8Array(16).fill(0xee);
    readTensorBytes(t, 3, 2, dst);
    expect([...new Float32Array(dst.buffer, 0, 2)]).toEqual([4.5, 6]);
    expect([...dst.subarray(8)]).toEqual(new Array(8).fill(0xee)); // nothing past count × size
    readTensorBytes(t, 9, 1, dst);
    expect(new Float32Array(dst.buffer)[0]).toBe(13.5);
    readTensorBytes(t, 10, 0, dst); // empty range at the end is fine
  });

  it('reads a 10 MiB tensor in reads of at most 4 MiB, straight into the caller buffer', async () => {
    const n = (10 * 1024 * 1024) / 4 + 3;
    const values = Float32Array.from({ length: n }, (_, i) => i);
    const file = await fileWith([{ name: 'big', dtype: 'F32', shape: [n], data: new Uint8Array(values.buffer) }]);
    const t = (await openCheckpoint(file)).tensors.get('big')!;
    readSync.mockClear();
    const dst = new Uint8Array(n * 4);
    readTensorBytes(t, 0, n, dst);
    expect(Buffer.from(dst.buffer).equals(Buffer.from(values.buffer))).toBe(true);
    const calls = readSync.mock.calls as unknown as [number, Uint8Array, number, number, number][];
    expect(calls.length).toBe(3);
    for (const [, buf, , length] of calls) {
      expect(buf).toBe(dst);
      expect(length).toBeLessThanOrEqual(MAX_READ_BYTES);
    }
    expect(MAX_READ_BYTES).toBe(4 * 1024 * 1024);
  });

  it('opens each file once and closes on request', async () => {
    const a = await fileWith([{ name: 'x', dtype: 'I16', shape: [4], data: new Uint8Array(8) }]);
    const b = await fileWith([{ name: 'x', dtype: 'I16', shape: [4], data: new Uint8Array(8) }]);
    const ta = (await openCheckpoint(a)).tensors.get('x')!;
    const tb = (await openCheckpoint(b)).tensors.get('x')!;
    const dst = new Uint8Array(8);
    for (let i = 0; i < 3; i++) readTensorBytes(ta, 0, 4, dst);
    expect(openReadFdCount()).toBe(1);
    readTensorBytes(tb, 0, 4, dst);
    expect(openReadFdCount()).toBe(2);
    closeReadFds(a);
    expect(openReadFdCount()).toBe(1);
    closeReadFds();
    expect(openReadFdCount()).toBe(0);
  });

  it('refuses ranges outside the tensor and buffers too small', async () => {
    const file = await fileWith([{ name: 'x', dtype: 'F64', shape: [4], data: new Uint8Array(32) }]);
    const t = (await openCheckpoint(file)).tensors.get('x')!;
    expect(() => readTensorBytes(t, 3, 2, new Uint8Array(16))).toThrow(RangeError);
    expect(() => readTensorBytes(t, -1, 1, new Uint8Array(8))).toThrow(RangeError);
    expect(() => readTensorBytes(t, 0, 1.5, new Uint8Array(16))).toThrow(RangeError);
    expect(() => readTensorBytes(t, 0, 2, new Uint8Array(15))).toThrow(/15 bytes, 16 needed/);
  });

  it('reports a file truncated after its header was read, naming file and tensor', async () => {
    const file = await fileWith([{ name: 'x', dtype: 'F32', shape: [4], data: new Uint8Array(16) }]);
    const t = (await openCheckpoint(file)).tensors.get('x')!;
    await truncate(file, t.offset + 6);
    await expectInputError(() => readTensorBytes(t, 0, 4, new Uint8Array(16)), { file, tensor: 'x', match: /file ended/ });
  });

  it('names a file that cannot be opened', async () => {
    const file = await fileWith([{ name: 'x', dtype: 'U8', shape: [1], data: new Uint8Array(1) }]);
    const t = (await openCheckpoint(file)).tensors.get('x')!;
    await expectInputError(() => readTensorBytes({ ...t, file: `${file}.gone` }, 0, 1, new Uint8Array(1)), { file: `${file}.gone`, match: /cannot open/ });
  });
});
