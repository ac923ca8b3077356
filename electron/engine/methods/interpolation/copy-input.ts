/** Writes one input unchanged: what a method gives when only one of its inputs has a tensor. */
import type { KernelEnv, TensorSink, TensorStream } from '../kernel.js';
import { forEachChunk } from '../kernel.js';

const COPY_SLOT = 0;

export function copyInput(input: TensorStream, numel: number, out: TensorSink, env: KernelEnv): void {
  const buf = env.backend.f32(COPY_SLOT, env.chunk);
  forEachChunk(numel, env, (start, len) => {
    input.read(start, len, buf);
    out.write(start, buf, len);
  });
}
