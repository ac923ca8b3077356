/** Runs a kernel on in-memory float32 inputs with parameters completed from the registry's defaults. */
import { getMethod } from '../../../common/methods/registry.js';
import type { MethodId, ResolvedParams } from '../../../common/methods/types.js';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import type { Backend } from '../../../electron/engine/backend/types.js';
import { getKernel } from '../../../electron/engine/methods/index.js';
import type { MaskSource } from '../../../electron/engine/methods/kernel.js';
import { ArraySink, ArrayStream } from '../../../electron/engine/methods/memory-stream.js';

export interface RunOptions {
  base?: number[] | Float32Array;
  models: (number[] | Float32Array)[];
  modelParams?: ResolvedParams[];
  global?: ResolvedParams;
  shape?: number[];
  name?: string;
  seed?: number;
  chunk?: number;
  backend?: Backend;
  maskSource?: MaskSource;
}

export function withDefaults(method: MethodId, scope: 'model' | 'global', given: ResolvedParams = {}): ResolvedParams {
  const desc = getMethod(method)!;
  const out: ResolvedParams = {};
  for (const p of desc.params) {
    if (p.scope !== scope) continue;
    if (p.default !== undefined) out[p.name] = p.default;
  }
  return { ...out, ...given };
}

export function runMethod(method: MethodId, opts: RunOptions): { out: Float32Array; warnings: string[] } {
  const models = opts.models.map((m) => new ArrayStream(Float32Array.from(m)));
  const numel = models[0]?.numel ?? opts.base!.length;
  const warnings: string[] = [];
  const sink = new ArraySink(numel);
  getKernel(method).run(
    {
      name: opts.name ?? 'model.layers.0.mlp.up_proj.weight',
      shape: opts.shape ?? [numel],
      numel,
      base: opts.base ? new ArrayStream(Float32Array.from(opts.base)) : undefined,
      models,
      modelParams: models.map((_, i) => withDefaults(method, 'model', opts.modelParams?.[i])),
      global: withDefaults(method, 'global', opts.global),
      seed: opts.seed ?? 0,
      offset: 0,
    },
    sink,
    {
      backend: opts.backend ?? new TsBackend(),
      chunk: opts.chunk ?? 4096,
      checkpoint: () => {},
      warn: (m) => warnings.push(m),
      maskSource: opts.maskSource,
    },
  );
  return { out: sink.data, warnings };
}

/** Max relative difference, with an absolute floor for values near 0. */
export function expectClose(actual: ArrayLike<number>, expected: number[], rel = 1e-6): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const tol = rel * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]} (±${tol}); all: [${Array.from(actual).join(', ')}]`);
    }
  }
}
