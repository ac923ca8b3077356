/** Two checkpoints' tensors compared byte for byte (names, dtypes, shapes and stored bytes). */
import { openCheckpoint } from '../io/checkpoint.js';
import { closeReadFds } from '../io/read-fd-cache.js';
import { MAX_READ_BYTES, readTensorBytes } from '../io/read-tensor-bytes.js';
import { DTYPE_SIZE } from '../io/dtype.js';
import type { TensorInfo } from '../io/types.js';

export interface TensorComparison {
  /** Tensors of the recorded output. */
  tensors: number;
  /** Names of tensors that differ (bytes, dtype or shape) or exist on one side only, sorted. */
  mismatches: string[];
}

function sameBytes(a: TensorInfo, b: TensorInfo, bufA: Uint8Array, bufB: Uint8Array): boolean {
  if (a.dtype !== b.dtype || a.numel !== b.numel || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  const size = DTYPE_SIZE[a.dtype];
  const step = Math.max(1, Math.floor(MAX_READ_BYTES / size));
  for (let start = 0; start < a.numel; start += step) {
    const count = Math.min(step, a.numel - start);
    readTensorBytes(a, start, count, bufA);
    readTensorBytes(b, start, count, bufB);
    const n = count * size;
    if (Buffer.compare(bufA.subarray(0, n), bufB.subarray(0, n)) !== 0) return false;
  }
  return true;
}

export async function compareTensors(recorded: string, rerun: string): Promise<TensorComparison> {
  const a = await openCheckpoint(recorded);
  const b = await openCheckpoint(rerun);
  const bufA = new Uint8Array(MAX_READ_BYTES);
  const bufB = new Uint8Array(MAX_READ_BYTES);
  const mismatches: string[] = [];
  try {
    for (const [name, ta] of a.tensors) {
      const tb = b.tensors.get(name);
      if (!tb || !sameBytes(ta, tb, bufA, bufB)) mismatches.push(name);
    }
    for (const name of b.tensors.keys()) if (!a.tensors.has(name)) mismatches.push(name);
  } finally {
    for (const f of [...a.files, ...b.files]) closeReadFds(f.path);
  }
  return { tensors: a.tensors.size, mismatches: mismatches.sort() };
}
