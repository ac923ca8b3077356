/** Reads a whole tensor from its file as float32, 4 MiB at a time (decoded as stored: no rounding). */
import { TsBackend } from '../../backend/ts-backend.js';
import { DTYPE_SIZE, isFloatDtype } from '../../io/dtype.js';
import { MAX_READ_BYTES, readTensorBytes } from '../../io/read-tensor-bytes.js';
import { InputError, type TensorInfo } from '../../io/types.js';
import type { IoStats } from './io-stats.js';

const decoder = new TsBackend();

export function readTensorF32(info: TensorInfo, io?: IoStats): Float32Array {
  if (!isFloatDtype(info.dtype)) {
    throw new InputError(`${info.file}: tensor ${JSON.stringify(info.name)} has dtype ${info.dtype}, not a float`, info.file, info.name);
  }
  const size = DTYPE_SIZE[info.dtype];
  const out = new Float32Array(info.numel);
  const per = Math.max(1, Math.floor(MAX_READ_BYTES / size));
  const raw = new Uint8Array(Math.min(info.numel, per) * size + 8);
  for (let start = 0; start < info.numel; start += per) {
    const n = Math.min(per, info.numel - start);
    readTensorBytes(info, start, n, raw);
    decoder.decode(info.dtype, raw, out.subarray(start, start + n), n);
  }
  if (io) {
    io.bytesRead += info.byteLength;
    const key = `${info.file}::${info.name}`;
    io.reads.set(key, (io.reads.get(key) ?? 0) + 1);
  }
  return out;
}

/** Rows `rows` of a [rowCount, cols] matrix, in that order. */
export function gatherRows(full: Float32Array, cols: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => out.set(full.subarray(r * cols, r * cols + cols), i * cols));
  return out;
}
