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
  for (const f of readdirSync(folder).filter((n) => n.endsWith('.safetensors'))) for (const [name, t] of readTensorFile(join(folder, f))) out.set(name, t);
  return out;
}

/** The tensors of one .safetensors file. */
export function readTensorFile(path: string): Map<string, RawTensor> {
  const out = new Map<string, RawTensor>();
  const buf = readFileSync(path);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    out.set(name, { dtype: t.dtype, shape: t.shape, bytes: buf.subarray(8 + n + t.data_offsets[0], 8 + n + t.data_offsets[1]) });
  }
  return out;
}

/** An F32 tensor's values (copied, so alignment does not matter). */
export function f32(t: RawTensor | undefined): Float32Array {
  if (!t || t.dtype !== 'F32') throw new Error(`expected an F32 tensor, got ${t?.dtype}`);
  return new Float32Array(t.bytes.buffer.slice(t.bytes.byteOffset, t.bytes.byteOffset + t.bytes.byteLength));
}
