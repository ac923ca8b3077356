/**
 * An input tensor read once and held as stored (raw bytes, so a bf16 layer costs 2 bytes per
 * weight, not 4), streamed to kernels as float32 chunk by chunk.
 */
import { TsBackend } from '../../backend/ts-backend.js';
import { DTYPE_SIZE, isFloatDtype, type FloatDtype } from '../../io/dtype.js';
import { MAX_READ_BYTES, readTensorBytes } from '../../io/read-tensor-bytes.js';
import { InputError, type TensorInfo } from '../../io/types.js';
import type { TensorStream } from '../../methods/kernel.js';
import type { IoStats } from './io-stats.js';

const decoder = new TsBackend();

export interface HeldTensor {
  dtype: FloatDtype;
  numel: number;
  raw: Uint8Array;
}

export function readHeldTensor(info: TensorInfo, io?: IoStats): HeldTensor {
  if (!isFloatDtype(info.dtype)) {
    throw new InputError(`${info.file}: tensor ${JSON.stringify(info.name)} has dtype ${info.dtype}, not a float`, info.file, info.name);
  }
  const size = DTYPE_SIZE[info.dtype];
  const raw = new Uint8Array(Math.ceil(info.byteLength / 8) * 8);
  const per = Math.max(1, Math.floor(MAX_READ_BYTES / size));
  for (let start = 0; start < info.numel; start += per) {
    const n = Math.min(per, info.numel - start);
    readTensorBytes(info, start, n, raw.subarray(start * size));
  }
  if (io) {
    io.bytesRead += info.byteLength;
    const key = `${info.file}::${info.name}`;
    io.reads.set(key, (io.reads.get(key) ?? 0) + 1);
  }
  return { dtype: info.dtype, numel: info.numel, raw };
}

/** Float32 view of the first `numel` elements of a held tensor (the leading rows when cut). */
export class HeldTensorStream implements TensorStream {
  private readonly size: number;
  constructor(
    private readonly t: HeldTensor,
    readonly numel: number = t.numel,
  ) {
    this.size = DTYPE_SIZE[t.dtype];
  }

  read(start: number, count: number, dst: Float32Array): void {
    if (start < 0 || start + count > this.numel) throw new RangeError(`read [${start}, ${start + count}) outside [0, ${this.numel})`);
    const bytes = this.t.raw.subarray(start * this.size, (start + count) * this.size);
    // Typed views over the bytes need their alignment: copy when the offset is not aligned.
    const src = bytes.byteOffset % this.size === 0 ? bytes : bytes.slice();
    decoder.decode(this.t.dtype, src, dst, count);
  }
}

/** The whole (or first numel elements of the) held tensor as float32 (into `out` when given, of that length). */
export function decodeHeld(t: HeldTensor, numel = t.numel, out: Float32Array = new Float32Array(numel)): Float32Array {
  new HeldTensorStream(t, numel).read(0, numel, out);
  return out;
}
