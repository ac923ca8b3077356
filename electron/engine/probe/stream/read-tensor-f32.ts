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

/**
 * Only rows `rows` (in that order) of a 2-D tensor, read straight from the file in runs of
 * consecutive rows: a probe of a few thousand tokens reads a few thousand embedding rows, not the
 * whole vocabulary. Counts as one read of the tensor (with the bytes actually read).
 */
export function readRowsF32(info: TensorInfo, rows: Int32Array, io?: IoStats): Float32Array {
  if (!isFloatDtype(info.dtype)) {
    throw new InputError(`${info.file}: tensor ${JSON.stringify(info.name)} has dtype ${info.dtype}, not a float`, info.file, info.name);
  }
  const rowCount = info.shape[0];
  const cols = info.numel / rowCount;
  const size = DTYPE_SIZE[info.dtype];
  const order = Int32Array.from(rows.keys()).sort((a, b) => rows[a] - rows[b]);
  const out = new Float32Array(rows.length * cols);
  const maxRun = Math.max(1, Math.floor(MAX_READ_BYTES / (cols * size)));
  const raw = new Uint8Array(Math.min(rows.length, maxRun) * cols * size + 8);
  const tmp = new Float32Array(Math.min(rows.length, maxRun) * cols);
  let bytes = 0;
  for (let i = 0; i < order.length; ) {
    const first = rows[order[i]];
    if (!(first >= 0 && first < rowCount)) throw new RangeError(`row ${first} outside ${info.name}'s ${rowCount} rows`);
    let j = i + 1;
    while (j < order.length && j - i < maxRun && rows[order[j]] - first <= j - i) j++;
    const span = rows[order[j - 1]] - first + 1;
    readTensorBytes(info, first * cols, span * cols, raw);
    decoder.decode(info.dtype, raw, tmp, span * cols);
    bytes += span * cols * size;
    for (let k = i; k < j; k++) out.set(tmp.subarray((rows[order[k]] - first) * cols, (rows[order[k]] - first + 1) * cols), order[k] * cols);
    i = j;
  }
  if (io) {
    io.bytesRead += bytes;
    const key = `${info.file}::${info.name}`;
    io.reads.set(key, (io.reads.get(key) ?? 0) + 1);
  }
  return out;
}
