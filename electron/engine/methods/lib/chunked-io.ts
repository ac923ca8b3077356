/**
 * Reads and writes of ranges longer than one chunk, split into pieces of at most `maxPiece`
 * elements (kernels never read more than env.chunk elements at once), and the base copy that
 * degenerate parameters reduce a merge to.
 */
import type { Backend } from '../../backend/types.js';
import type { KernelEnv, TensorSink, TensorStream } from '../kernel.js';

/** dst[0..len) = elements [start, start + len) of the stream, read in pieces of at most maxPiece. */
export function readRange(stream: TensorStream, start: number, len: number, dst: Float32Array, maxPiece: number): void {
  if (len <= maxPiece) {
    stream.read(start, len, dst);
    return;
  }
  for (let done = 0; done < len; done += maxPiece) {
    stream.read(start + done, Math.min(maxPiece, len - done), dst.subarray(done));
  }
}

/**
 * dst[0..len) = elements [start, start + len) of the stream − minus[0..len), in pieces of at most
 * maxPiece: one pass (TensorStream.readMinus) where the stream offers it, else read then sub.
 */
export function readRangeMinus(stream: TensorStream, start: number, len: number, dst: Float32Array, minus: Float32Array, maxPiece: number, backend: Backend): void {
  if (!stream.readMinus) {
    readRange(stream, start, len, dst, maxPiece);
    backend.sub(dst, minus, dst, len);
    return;
  }
  for (let done = 0; done < len; done += maxPiece) {
    const n = Math.min(maxPiece, len - done);
    if (done === 0) stream.readMinus(start, n, dst, minus);
    else stream.readMinus(start + done, n, dst.subarray(done), minus.subarray(done));
  }
}

/** Writes src[0..len) as output elements [start, start + len), in pieces of at most maxPiece. */
export function writeRange(sink: TensorSink, start: number, src: Float32Array, len: number, maxPiece: number): void {
  if (len <= maxPiece) {
    sink.write(start, src, len);
    return;
  }
  for (let done = 0; done < len; done += maxPiece) {
    sink.write(start + done, src.subarray(done), Math.min(maxPiece, len - done));
  }
}

/** Writes the stream unchanged (bit for bit, before the sink's output rounding). */
export function copyStream(src: TensorStream, numel: number, out: TensorSink, env: KernelEnv, buf: Float32Array): void {
  for (let start = 0; start < numel; start += env.chunk) {
    env.checkpoint();
    const len = Math.min(env.chunk, numel - start);
    src.read(start, len, buf);
    out.write(start, buf, len);
  }
}
