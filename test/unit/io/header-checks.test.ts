/** Every strict check of the safetensors header reader, each on a corrupt file built here. */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensorsHeader } from '../../../electron/engine/io/read-safetensors-header.js';
import { expectInputError } from '../../helpers/expect-input-error.js';
import { rawSafetensors } from '../../helpers/raw-safetensors.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

let dir: string;
let counter = 0;
beforeAll(async () => {
  dir = await makeTempDir('header-checks');
});
afterAll(removeTempDirs);

function fileWith(bytes: Uint8Array): string {
  const path = join(dir, `case-${counter++}.safetensors`);
  writeFileSync(path, bytes);
  return path;
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

async function refused(header: object | string | Uint8Array, data: Uint8Array | number, match: RegExp, tensor?: string) {
  const file = fileWith(rawSafetensors(header, data));
  await expectInputError(() => readSafetensorsHeader(file), { file, tensor, match });
}

describe('a well-formed file', () => {
  it('gives tensors with absolute offsets, metadata, size and the sha256 of prefix + header', async () => {
    const bytes = rawSafetensors({ __metadata__: { format: 'pt', note: 'x' }, a: f32([2], 0, 8), b: { dtype: 'I64', shape: [1], data_offsets: [8, 16] } }, 16);
    const file = fileWith(bytes);
    const st = await readSafetensorsHeader(file);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    expect(st.dataStart).toBe(8 + n);
    expect(st.info).toEqual({
      path: file,
      size: bytes.length,
      metadata: { format: 'pt', note: 'x' },
      headerSha256: createHash('sha256').update(readFileSync(file).subarray(0, 8 + n)).digest('hex'),
    });
    expect(st.tensors).toEqual([
      { name: 'a', dtype: 'F32', shape: [2], numel: 2, file, offset: 8 + n, byteLength: 8 },
      { name: 'b', dtype: 'I64', shape: [1], numel: 1, file, offset: 8 + n + 8, byteLength: 8 },
    ]);
  });

  it('accepts every integer and bool dtype as raw, zero-size tensors wherever a tensor begins or the data ends, and an empty header', async () => {
    const dtypes: [string, number][] = [['I64', 8], ['I32', 4], ['I16', 2], ['I8', 1], ['U8', 1], ['BOOL', 1], ['U16', 2], ['U32', 4], ['U64', 8], ['F64', 8], ['F16', 2], ['BF16', 2]];
    const header: Record<string, object> = {};
    let pos = 0;
    for (const [dtype, size] of dtypes) {
      header[dtype.toLowerCase()] = { dtype, shape: [3], data_offsets: [pos, pos + 3 * size] };
      pos += 3 * size;
    }
    // I64 [0, 24], I32 [24, 36]: an empty tensor at the start, one between them, one at the very end.
    header.empty_first = { dtype: 'F32', shape: [0, 4], data_offsets: [0, 0] };
    header.empty = { dtype: 'F32', shape: [0, 4], data_offsets: [24, 24] };
    header.scalar = { dtype: 'F32', shape: [], data_offsets: [pos, pos + 4] };
    header.empty_last = { dtype: 'BF16', shape: [2, 0], data_offsets: [pos + 4, pos + 4] };
    const st = await readSafetensorsHeader(fileWith(rawSafetensors(header, pos + 4)));
    expect(st.tensors.map((t) => [t.dtype, t.numel])).toEqual([...dtypes.map(([d]) => [d, 3]), ['F32', 0], ['F32', 0], ['F32', 1], ['BF16', 0]]);
    const empty = await readSafetensorsHeader(fileWith(rawSafetensors('{}')));
    expect(empty.tensors).toEqual([]);
    expect(empty.info.metadata).toEqual({});
    // Only empty tensors, all at 0: a data section of 0 bytes.
    const onlyEmpty = await readSafetensorsHeader(fileWith(rawSafetensors({ z: { dtype: 'F32', shape: [0], data_offsets: [0, 0] } }, 0)));
    expect(onlyEmpty.tensors.map((t) => t.byteLength)).toEqual([0]);
  });
});

describe('not a regular file', () => {
  it('refuses a named pipe at once (opening one would wait for a writer forever) and a folder', async () => {
    const fifo = join(dir, 'pipe.safetensors');
    execFileSync('mkfifo', [fifo]);
    await expectInputError(() => readSafetensorsHeader(fifo), { file: fifo, match: /not a regular file \(a pipe, socket or device\)/ });
    const folder = join(dir, 'folder.safetensors');
    mkdirSync(folder);
    await expectInputError(() => readSafetensorsHeader(folder), { file: folder, match: /not a regular file \(a folder\)/ });
  }, 5000);
});

describe('length prefix', () => {
  it('refuses a file shorter than 8 bytes (including an empty one)', async () => {
    for (const bytes of [new Uint8Array(0), new Uint8Array([1, 0, 0, 0, 0])]) {
      const file = fileWith(bytes);
      await expectInputError(() => readSafetensorsHeader(file), { file, match: /shorter than the 8-byte/ });
    }
  });
  it('refuses a header length beyond the end of the file', async () => {
    const file = fileWith(rawSafetensors({ a: f32([1], 0, 4) }, 4, { headerLength: 1000n }));
    await expectInputError(() => readSafetensorsHeader(file), { file, match: /past the end of the file/ });
  });
  it('refuses a header length over 100,000,000 bytes, even a huge u64', async () => {
    for (const len of [100_000_001n, 2n ** 64n - 1n]) {
      const file = fileWith(rawSafetensors('{}', 0, { headerLength: len }));
      await expectInputError(() => readSafetensorsHeader(file), { file, match: /100000000-byte limit/ });
    }
  });
});

describe('header text', () => {
  it('refuses invalid UTF-8', async () => {
    const json = new TextEncoder().encode('{"__metadata__":{"k":"v?"}}');
    json[json.indexOf(0x3f)] = 0xff;
    await refused(json, 0, /not valid UTF-8/);
  });
  it('says a header length reaching into the tensor data may be the cause', async () => {
    // A sound 1-tensor file whose length prefix is 8 bytes too long: the float bytes 0xff… are read as text.
    const header = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const file = fileWith(rawSafetensors(header, new Uint8Array(8).fill(0xff), { pad: false, headerLength: BigInt(header.length + 8) }));
    await expectInputError(() => readSafetensorsHeader(file), { file, match: new RegExp(`its ${header.length + 8}-byte length may reach into the tensor data`) });
  });
  it('refuses invalid JSON', async () => {
    await refused('{"a": {"dtype": "F32", ', 0, /invalid JSON/);
    await refused('{"a": 1,}', 0, /invalid JSON/);
  });
  it('refuses duplicate keys at any nesting level', async () => {
    const t = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
    await refused(`{"a":${t},"a":${t}}`, 4, /duplicate key "a"/);
    await refused(`{"__metadata__":{"k":"1","k":"2"},"a":${t}}`, 4, /duplicate key "k"/);
    await refused('{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4, /duplicate key "dtype"/);
    // Equal after unescaping: "\u0061" is "a".
    await refused(`{"a":${t},"\\u0061":${t}}`, 4, /duplicate key "a"/);
  });
  it('refuses a header that is not an object', async () => {
    for (const text of ['[]', '"x"', 'null', '42']) await refused(text, 0, /not a JSON object/);
  });
});

describe('tensor entries', () => {
  it('refuses an entry that is not an object', async () => {
    await refused({ a: 5 }, 0, /not an object/, 'a');
    await refused({ a: [1, 2] }, 0, /not an object/, 'a');
  });
  it('refuses a missing dtype, shape or data_offsets', async () => {
    await refused({ a: { shape: [1], data_offsets: [0, 4] } }, 4, /missing "dtype"/, 'a');
    await refused({ a: { dtype: 'F32', data_offsets: [0, 4] } }, 4, /missing "shape"/, 'a');
    await refused({ a: { dtype: 'F32', shape: [1] } }, 4, /missing "data_offsets"/, 'a');
  });
  it('refuses wrongly typed fields', async () => {
    await refused({ a: { dtype: 4, shape: [1], data_offsets: [0, 4] } }, 4, /"dtype" is not a string/, 'a');
    await refused({ a: { dtype: 'F32', shape: 1, data_offsets: [0, 4] } }, 4, /"shape" is not an array/, 'a');
    for (const bad of [-1, 1.5, '1', null, 2 ** 53]) {
      await refused({ a: { dtype: 'F32', shape: [bad], data_offsets: [0, 4] } }, 4, /not a non-negative integer/, 'a');
    }
    for (const offsets of [[0], [0, 4, 8], 'x', { 0: 0, 1: 4 }]) {
      await refused({ a: { dtype: 'F32', shape: [1], data_offsets: offsets } }, 4, /not a \[begin, end\] pair/, 'a');
    }
    for (const offsets of [[-4, 0], [0, 4.5], [0, 1e20], ['0', 4]]) {
      await refused({ a: { dtype: 'F32', shape: [1], data_offsets: offsets } }, 4, /non-negative integers/, 'a');
    }
  });
  it('refuses F8 dtypes with a clear message, and unknown dtypes', async () => {
    for (const dtype of ['F8_E4M3', 'F8_E5M2']) {
      await refused({ w: { dtype, shape: [4], data_offsets: [0, 4] } }, 4, new RegExp(`${dtype}.*not supported`), 'w');
    }
    for (const dtype of ['F128', 'Q4_0', 'f32', '']) {
      await refused({ w: { dtype, shape: [1], data_offsets: [0, 4] } }, 4, /unknown dtype/, 'w');
    }
  });
  it('refuses a shape whose element count overflows', async () => {
    const big = 2 ** 30;
    await refused({ a: { dtype: 'U8', shape: [big, big, big], data_offsets: [0, 4] } }, 4, /more elements than can be addressed/, 'a');
  });
  it('refuses a shape × dtype size that differs from the byte range', async () => {
    await refused({ a: f32([3], 0, 8) }, 8, /needs 12 bytes but data_offsets \[0, 8\] span 8/, 'a');
    await refused({ a: { dtype: 'BF16', shape: [2, 2], data_offsets: [0, 16] } }, 16, /needs 8 bytes/, 'a');
  });
  it('refuses offsets outside the data section, and begin after end', async () => {
    await refused({ a: f32([2], 0, 8) }, 7, /run past the data section \(7 bytes\)/, 'a');
    await refused({ a: f32([0], 8, 4) }, 8, /begin after end/, 'a');
  });
  it('refuses overlapping ranges, naming both tensors', async () => {
    const file = fileWith(rawSafetensors({ first: f32([2], 0, 8), second: f32([2], 4, 12) }, 12));
    const err = await expectInputError(() => readSafetensorsHeader(file), { file, tensor: 'second', match: /overlap/ });
    expect(err.message).toContain('"first"');
    await refused({ same1: f32([2], 0, 8), same2: f32([2], 0, 8) }, 8, /overlap/);
    // Header order does not matter: the later range listed first. (Sorted, `inside` [4, 16] also
    // leaves a gap of 4 bytes at the start: the overlap is the fault named.)
    await refused({ late: f32([2], 8, 16), inside: f32([3], 4, 16) }, 16, /overlap/);
  });
});

describe('tensors back to back (as the safetensors reference reader requires)', () => {
  it('refuses a gap between tensors, naming the tensor after it and the one before', async () => {
    // a [0, 8], then b begins at 12: 4 bytes nobody owns. Header order does not matter.
    const file = fileWith(rawSafetensors({ b: f32([2], 12, 20), a: f32([2], 0, 8) }, 20));
    const err = await expectInputError(() => readSafetensorsHeader(file), {
      file,
      tensor: 'b',
      match: /data_offsets \[12, 20\] leave a gap of 4 bytes \(tensor "a" ends at 8\).*back to back/,
    });
    expect(err.message).toContain('"a"');
  });
  it('refuses a data section that does not start with a tensor', async () => {
    await refused({ a: f32([2], 4, 12) }, 12, /data_offsets \[4, 12\] leave a gap of 4 bytes \(the data section starts at 0\)/, 'a');
  });
  it('refuses bytes after the last tensor, saying how many', async () => {
    const file = fileWith(rawSafetensors({ a: f32([2], 0, 8), b: f32([1], 8, 12) }, 15));
    const err = await expectInputError(() => readSafetensorsHeader(file), { file, match: /: 3 bytes after the end of the tensor data \(the data section is 15 bytes; the last tensor, "b", ends at 12\)/ });
    expect(err.tensor).toBeUndefined();
    // No tensor at all, yet data: every byte is extra.
    await refused('{}', 1, /: 1 bytes after the end of the tensor data \(the data section is 1 bytes; it holds no tensor\)/);
    await refused({ __metadata__: { format: 'pt' } }, 8, /8 bytes after the end of the tensor data/);
  });
  it('refuses an empty tensor placed inside another (not where a tensor begins or the data ends)', async () => {
    await refused({ a: f32([4], 0, 16), z: f32([0], 8, 8) }, 16, /tensor "z": data_offsets \[8, 8\] fall inside tensor "a" \[0, 16\]/, 'z');
  });
});

describe('__metadata__', () => {
  it('refuses a non-object or non-string values', async () => {
    for (const meta of ['x', [], null, 3]) await refused({ __metadata__: meta }, 0, /__metadata__ must be an object of strings/);
    await refused({ __metadata__: { format: 'pt', n: 1 } }, 0, /__metadata__ value of "n" is not a string/);
    await refused({ __metadata__: { nested: { a: 'b' } } }, 0, /not a string/);
  });
});
