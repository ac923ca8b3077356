/** Test helpers for the task-vector family: seeded data, bit comparison, and runs split into offset ranges. */
import type { MethodId, ResolvedParams } from '../../../../common/methods/types.js';
import { bf16FromF32Bits } from '../../../../electron/engine/backend/float-bits.js';
import { TsBackend } from '../../../../electron/engine/backend/ts-backend.js';
import { getKernel } from '../../../../electron/engine/methods/index.js';
import type { MaskSource, TensorSink } from '../../../../electron/engine/methods/kernel.js';
import { ArrayStream } from '../../../../electron/engine/methods/memory-stream.js';
import { withDefaults } from '../harness.js';

/** mulberry32: a small seeded generator of uniforms in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomVector(n: number, seed: number, scale = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
}

/** Rounds to bfloat16 (many exact ties, as in real bf16 checkpoints). */
export function bf16(x: Float32Array): Float32Array {
  const bits = new Uint32Array(x.buffer.slice(0));
  for (let i = 0; i < bits.length; i++) bits[i] = bf16FromF32Bits(bits[i]) << 16;
  return new Float32Array(bits.buffer);
}

export function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

export interface RangeRun {
  base: Float32Array;
  models: Float32Array[];
  modelParams?: ResolvedParams[];
  global?: ResolvedParams;
  shape?: number[];
  name?: string;
  seed?: number;
  chunk?: number;
  maskSource?: MaskSource;
}

/** Runs the kernel on [start, start + count) ranges of the tensor as the executor does for splittable kernels. */
export function runInRanges(method: MethodId, opts: RangeRun, ranges: [number, number][]): Float32Array {
  const numel = opts.base.length;
  const out = new Float32Array(numel);
  const backend = new TsBackend();
  for (const [start, count] of ranges) {
    const sink: TensorSink = { write: (s, src, c) => out.set(src.subarray(0, c), start + s) };
    getKernel(method).run(
      {
        name: opts.name ?? 'model.layers.0.mlp.up_proj.weight',
        shape: opts.shape ?? [numel],
        numel: count,
        base: new ArrayStream(opts.base.slice(start, start + count)),
        models: opts.models.map((m) => new ArrayStream(m.slice(start, start + count))),
        modelParams: opts.models.map((_, i) => withDefaults(method, 'model', opts.modelParams?.[i])),
        global: withDefaults(method, 'global', opts.global),
        seed: opts.seed ?? 0,
        offset: start,
      },
      sink,
      { backend, chunk: opts.chunk ?? 4096, checkpoint: () => {}, warn: () => {}, maskSource: opts.maskSource },
    );
  }
  return out;
}
