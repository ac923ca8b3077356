/** Test helper: the Fisher kernel on in-memory tensors. */
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { fisherKernel } from '../../../electron/engine/fisher/fisher-kernel.js';
import { ArraySink, ArrayStream } from '../../../electron/engine/methods/memory-stream.js';

export function runFisher(models: ArrayLike<number>[], fisher: ArrayLike<number>[], weights?: number[], chunk = 4096): Float32Array {
  const numel = models[0].length;
  const sink = new ArraySink(numel);
  fisherKernel.run(
    {
      name: 't',
      shape: [numel],
      numel,
      models: models.map((m) => new ArrayStream(Float32Array.from(m))),
      fisher: fisher.map((f) => new ArrayStream(Float32Array.from(f))),
      modelParams: models.map((_, i) => ({ weight: weights?.[i] ?? 1 })),
      global: {},
      seed: 0,
      offset: 0,
    },
    sink,
    { backend: new TsBackend(), chunk, checkpoint: () => {}, warn: () => {} },
  );
  return sink.data;
}
