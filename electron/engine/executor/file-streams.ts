/**
 * Kernel streams over files: positioned reads of at most 4 MiB straight into the backend's scratch
 * bytes, decoded to float32; and a sink that rounds to the output dtype and writes in place.
 * Synchronous on purpose: they run inside worker threads, one task at a time per thread.
 */
import { readSync, writeSync } from 'node:fs';
import { DTYPE_SIZE, isFloatDtype, type FloatDtype } from '../io/dtype.js';
import type { Backend, NonFiniteTally } from '../backend/types.js';
import type { TensorSink, TensorStream } from '../methods/kernel.js';
import { InputError } from '../io/types.js';
import type { InputLocation } from './task-types.js';
import type { FdCache } from './fd-cache.js';

/** Largest single read: larger reads were measured 3× slower here (design.md). */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

/** Scratch byte slots used by the streams; kernels use float32 slots only. */
const READ_SLOT = 0;
const WRITE_SLOT = 1;

export function readFully(fd: number, dst: Uint8Array, length: number, position: number, file: string): void {
  let done = 0;
  while (done < length) {
    const want = Math.min(MAX_READ_BYTES, length - done);
    const got = readSync(fd, dst, done, want, position + done);
    if (got === 0) throw new Error(`unexpected end of file while reading ${file} at byte ${position + done}`);
    done += got;
  }
}

/**
 * Runs a read of an input and turns any failure (a system error such as EIO or EISDIR, a file
 * shorter than its header says) into an InputError naming that input's file and tensor: such an
 * error carries no path of its own, and would otherwise be taken for one of the output's.
 */
export function readingInput<T>(file: string, tensor: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`cannot read tensor ${tensor} from ${file}: ${e?.message ?? String(err)}`, file, tensor);
  }
}

export function writeFully(fd: number, src: Uint8Array, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    done += writeSync(fd, src, done, length - done, position + done);
  }
}

export class FileTensorStream implements TensorStream {
  readonly numel: number;
  private readonly dtype: FloatDtype;
  private readonly itemSize: number;
  /** Bytes read, for the I/O accounting of probes and benchmarks. */
  bytesRead = 0;

  constructor(
    private readonly loc: InputLocation,
    private readonly fds: FdCache,
    private readonly backend: Backend,
    /** Element 0 of this stream is element `base` of the tensor (range tasks). */
    private readonly base = 0,
    numel?: number,
  ) {
    if (!isFloatDtype(loc.dtype)) throw new Error(`tensor ${loc.tensor} in ${loc.file} has dtype ${loc.dtype}, which cannot be merged`);
    this.dtype = loc.dtype;
    this.itemSize = DTYPE_SIZE[loc.dtype];
    this.numel = numel ?? loc.numel - base;
  }

  read(start: number, count: number, dst: Float32Array): void {
    this.readEach(start, count, (raw, done, n) => this.backend.decode(this.dtype, raw, done === 0 ? dst : dst.subarray(done), n));
  }

  /** Decodes and subtracts in one pass (Backend.decodeSub): the bits of read then sub. */
  readMinus(start: number, count: number, dst: Float32Array, minus: Float32Array): void {
    this.readEach(start, count, (raw, done, n) =>
      done === 0 ? this.backend.decodeSub(this.dtype, raw, minus, dst, n) : this.backend.decodeSub(this.dtype, raw, minus.subarray(done), dst.subarray(done), n),
    );
  }

  /** Positioned reads of at most MAX_READ_BYTES covering [start, start + count), each handed to use(raw, done, n). */
  private readEach(start: number, count: number, use: (raw: Uint8Array, done: number, n: number) => void): void {
    if (start < 0 || start + count > this.numel) {
      throw new RangeError(`read [${start}, ${start + count}) outside tensor ${this.loc.tensor} of ${this.numel} elements`);
    }
    const { file, tensor } = this.loc;
    const fd = readingInput(file, tensor, () => this.fds.read(file));
    const perRead = Math.max(1, Math.floor(MAX_READ_BYTES / this.itemSize));
    for (let done = 0; done < count; done += perRead) {
      const n = Math.min(perRead, count - done);
      const bytes = n * this.itemSize;
      const raw = this.backend.bytes(READ_SLOT, bytes);
      const position = this.loc.offset + (this.base + start + done) * this.itemSize;
      readingInput(file, tensor, () => readFully(fd, raw, bytes, position, file));
      use(raw, done, n);
      this.bytesRead += bytes;
    }
  }
}

/**
 * Writes go through the page cache on purpose. Measured 2026-11-25 on the engine bench (1.42 GB
 * bf16 output, 2 cores): O_DIRECT writes of each chunk's 4 KiB-aligned middle (head and tail
 * buffered) cut the CPU time a little (ties 4.7 → 4.4 CPU-s) but made every merge slower, bound
 * by the device at one write in flight per worker: linear 1.33 → 2.80 s, ties 2.47 → 3.88 s.
 */
export class FileTensorSink implements TensorSink {
  private readonly itemSize: number;
  /** NaN and ±Inf among the values written so far, as written (after rounding to the dtype). */
  readonly nonFinite: NonFiniteTally = { nan: 0, inf: 0 };
  constructor(
    private readonly file: string,
    /** Absolute byte offset of element 0 of the whole tensor. */
    private readonly offset: number,
    private readonly dtype: FloatDtype,
    private readonly fds: FdCache,
    private readonly backend: Backend,
    /** Element 0 written by the kernel is element `base` of the tensor. */
    private readonly base: number,
    private readonly onWritten: (elements: number) => void,
  ) {
    this.itemSize = DTYPE_SIZE[dtype];
  }

  write(start: number, src: Float32Array, count: number): void {
    const fd = this.fds.write(this.file);
    const bytes = count * this.itemSize;
    const raw = this.backend.bytes(WRITE_SLOT, bytes);
    this.backend.encode(this.dtype, src, raw, count, this.nonFinite);
    writeFully(fd, raw, bytes, this.offset + (this.base + start) * this.itemSize);
    this.onWritten(count);
  }
}
