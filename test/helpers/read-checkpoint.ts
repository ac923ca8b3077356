/**
 * Loads a whole (small) checkpoint's tensors for end-to-end assertions, through the engine's
 * own reader (openCheckpoint + readTensorBytes).
 *
 *   const out = await readCheckpointF32(join(dir, 'merged'));   // Map<name, Float32Array>
 *   const raw = await readCheckpointRaw(path);                    // Map<name, { dtype, shape, bytes }>
 *
 * Paths may be relative (resolved against the cwd). Float tensors are decoded with
 * TsBackend.decode; integer and bool tensors are converted by value.
 */
import { resolve } from 'node:path';
import { TsBackend } from '../../electron/engine/backend/ts-backend.js';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { DTYPE_SIZE, isFloatDtype, type Dtype } from '../../electron/engine/io/dtype.js';
import { closeReadFds } from '../../electron/engine/io/read-fd-cache.js';
import { readTensorBytes } from '../../electron/engine/io/read-tensor-bytes.js';

export interface RawTensor {
  dtype: Dtype;
  shape: number[];
  bytes: Uint8Array;
}

export async function readCheckpointRaw(path: string): Promise<Map<string, RawTensor>> {
  const info = await openCheckpoint(resolve(path));
  const out = new Map<string, RawTensor>();
  try {
    for (const t of info.tensors.values()) {
      const bytes = new Uint8Array(t.byteLength);
      readTensorBytes(t, 0, t.numel, bytes);
      out.set(t.name, { dtype: t.dtype, shape: t.shape, bytes });
    }
  } finally {
    for (const f of info.files) closeReadFds(f.path);
  }
  return out;
}

export async function readCheckpointF32(path: string): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [name, t] of await readCheckpointRaw(path)) out.set(name, toFloat32(t));
  return out;
}

const backend = new TsBackend();

export function toFloat32(t: RawTensor): Float32Array {
  const n = t.bytes.byteLength / DTYPE_SIZE[t.dtype];
  const dst = new Float32Array(n);
  if (isFloatDtype(t.dtype)) {
    backend.decode(t.dtype, t.bytes, dst, n);
    return dst;
  }
  const b = t.bytes.buffer.slice(t.bytes.byteOffset, t.bytes.byteOffset + t.bytes.byteLength);
  const view: ArrayLike<number | bigint> = {
    I64: () => new BigInt64Array(b),
    U64: () => new BigUint64Array(b),
    I32: () => new Int32Array(b),
    U32: () => new Uint32Array(b),
    I16: () => new Int16Array(b),
    U16: () => new Uint16Array(b),
    I8: () => new Int8Array(b),
    U8: () => new Uint8Array(b),
    BOOL: () => new Uint8Array(b),
  }[t.dtype]();
  for (let i = 0; i < n; i++) dst[i] = Number(view[i]);
  return dst;
}
