/** Every 16-bit float pattern survives decode → encode, through a file written and read back. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { closeReadFds } from '../../../electron/engine/io/read-fd-cache.js';
import { readTensorBytes } from '../../../electron/engine/io/read-tensor-bytes.js';
import { writeSafetensorsFile } from '../../../electron/engine/io/write-safetensors.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(async () => {
  closeReadFds();
  await removeTempDirs();
});

const all16 = () => Uint16Array.from({ length: 65536 }, (_, i) => i);
const isHalfNaN = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
const isBf16NaN = (h: number) => (h & 0x7f80) === 0x7f80 && (h & 0x7f) !== 0;

async function roundTrip(dtype: 'F16' | 'BF16'): Promise<{ decoded: Float32Array; reencoded: Uint16Array }> {
  const dir = await makeTempDir('roundtrip');
  const file = join(dir, `${dtype}.safetensors`);
  await writeSafetensorsFile(file, [{ name: 'all', dtype, shape: [256, 256], data: new Uint8Array(all16().buffer) }]);
  const t = (await openCheckpoint(file)).tensors.get('all')!;
  const raw = new Uint8Array(t.byteLength);
  readTensorBytes(t, 0, t.numel, raw);
  const backend = new TsBackend();
  const decoded = new Float32Array(65536);
  backend.decode(dtype, raw, decoded, 65536);
  const reencoded = new Uint16Array(65536);
  backend.encode(dtype, decoded, new Uint8Array(reencoded.buffer), 65536);
  return { decoded, reencoded };
}

describe('F16', () => {
  it('every one of the 65536 half values decodes and re-encodes to itself; NaNs stay NaN', async () => {
    const { decoded, reencoded } = await roundTrip('F16');
    let nans = 0;
    for (let h = 0; h < 65536; h++) {
      if (isHalfNaN(h)) {
        nans++;
        if (!Number.isNaN(decoded[h]) || !isHalfNaN(reencoded[h])) throw new Error(`NaN ${h.toString(16)} lost`);
      } else if (reencoded[h] !== h) {
        throw new Error(`${h.toString(16)} came back as ${reencoded[h].toString(16)}`);
      }
    }
    expect(nans).toBe(2 * 1023);
    // Spot values computed by hand.
    expect([decoded[0x3c00], decoded[0xc000], decoded[0x0001], decoded[0x7bff], decoded[0x7c00], decoded[0x8000]]).toEqual([
      1, -2, 2 ** -24, 65504, Infinity, -0,
    ]);
  });
});

describe('BF16', () => {
  it('every one of the 65536 bfloat16 values decodes and re-encodes to itself; NaNs stay (quiet) NaN', async () => {
    const { decoded, reencoded } = await roundTrip('BF16');
    for (let h = 0; h < 65536; h++) {
      if (isBf16NaN(h)) {
        if (!Number.isNaN(decoded[h]) || !isBf16NaN(reencoded[h]) || (reencoded[h] & 0x40) === 0) throw new Error(`NaN ${h.toString(16)}`);
      } else if (reencoded[h] !== h) {
        throw new Error(`${h.toString(16)} came back as ${reencoded[h].toString(16)}`);
      }
    }
    expect([decoded[0x3f80], decoded[0xc000], decoded[0x7f80]]).toEqual([1, -2, Infinity]);
  });
});
