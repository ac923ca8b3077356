/** In-memory streams and sinks: for tests, probes and small tensors. */
import type { TensorSink, TensorStream } from './kernel.js';

export class ArrayStream implements TensorStream {
  readonly numel: number;
  /** Number of read() calls, for tests that count passes. */
  reads = 0;
  constructor(readonly data: Float32Array) {
    this.numel = data.length;
  }
  read(start: number, count: number, dst: Float32Array): void {
    if (start < 0 || start + count > this.numel) throw new RangeError(`read [${start}, ${start + count}) outside [0, ${this.numel})`);
    this.reads++;
    dst.set(this.data.subarray(start, start + count));
  }
}

export class ArraySink implements TensorSink {
  readonly data: Float32Array;
  constructor(numel: number) {
    this.data = new Float32Array(numel);
  }
  write(start: number, src: Float32Array, count: number): void {
    this.data.set(src.subarray(0, count), start);
  }
}
