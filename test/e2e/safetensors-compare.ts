/** Reads the tensors of an output folder (all .safetensors files) for byte comparison: an independent reader. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RawTensor {
  dtype: string;
  shape: number[];
  bytes: Buffer;
}

export function readTensors(folder: string): Map<string, RawTensor> {
  const out = new Map<string, RawTensor>();
  for (const f of readdirSync(folder).filter((n) => n.endsWith('.safetensors'))) {
    const buf = readFileSync(join(folder, f));
    const n = Number(buf.readBigUInt64LE(0));
    const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    for (const [name, t] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      out.set(name, { dtype: t.dtype, shape: t.shape, bytes: buf.subarray(8 + n + t.data_offsets[0], 8 + n + t.data_offsets[1]) });
    }
  }
  return out;
}
