/** Reading only some rows of a tensor, and held raw tensors, against the whole tensor read by the test helper. */
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { decodeHeld, HeldTensorStream, readHeldTensor } from '../../../electron/engine/probe/stream/held-tensor.js';
import { newIoStats } from '../../../electron/engine/probe/stream/io-stats.js';
import { readRowsF32 } from '../../../electron/engine/probe/stream/read-tensor-f32.js';
import { makeRng } from '../../helpers/prng.js';
import { writeHfCheckpoint } from '../../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

describe('readRowsF32 and held tensors', () => {
  it('rows in any order, runs and gaps, bytes counted; held bf16 streams decode exactly', async () => {
    const dir = await makeTempDir('rows');
    const built = await writeHfCheckpoint(dir, [{ name: 'e', shape: [10, 3], values: makeRng(1).floats(30) }], { dtype: 'BF16' });
    const full = built.tensors.get('e')!;
    const info = (await openCheckpoint(dir)).tensors.get('e')!;
    const rows = Int32Array.from([7, 2, 3, 9, 0]);
    const io = newIoStats();
    const got = readRowsF32(info, rows, io);
    rows.forEach((r, i) => expect([...got.subarray(i * 3, i * 3 + 3)]).toEqual([...full.subarray(r * 3, r * 3 + 3)]));
    expect(io.reads.size).toBe(1);
    expect(io.bytesRead).toBeLessThan(info.byteLength);

    const held = readHeldTensor(info);
    expect(held.raw.byteLength).toBeGreaterThanOrEqual(60);
    expect([...decodeHeld(held)]).toEqual([...full]);
    const part = new Float32Array(4);
    new HeldTensorStream(held, 6).read(1, 4, part);
    expect([...part]).toEqual([...full.subarray(1, 5)]);
    expect(() => new HeldTensorStream(held, 6).read(4, 4, part)).toThrow(RangeError);
  });
});
