/**
 * The executor's protocol for a kernel with range statistics, in memory: passes over every range
 * with the state and every partial crossing a (simulated) thread boundary by structured clone,
 * partials combined in range order, then the output ranges. Shared by the split-statistics tests.
 */
import type { MethodId, ResolvedParams } from '../../../../common/methods/types.js';
import { TsBackend } from '../../../../electron/engine/backend/ts-backend.js';
import { BLOCK, type Backend } from '../../../../electron/engine/backend/types.js';
import { getKernel } from '../../../../electron/engine/methods/index.js';
import type { KernelEnv, KernelTask, MaskSource, TensorSink } from '../../../../electron/engine/methods/kernel.js';
import { ArrayStream } from '../../../../electron/engine/methods/memory-stream.js';
import { withDefaults } from '../harness.js';

export const NAME = 'model.embed_tokens.weight';

export interface Case {
  method: MethodId;
  base: Float32Array;
  models: Float32Array[];
  modelParams?: ResolvedParams[];
  global?: ResolvedParams;
  seed?: number;
  chunk?: number;
  maskSource?: MaskSource;
  backend?: Backend;
}

/** Range lengths → [start, count] pairs covering n (every start a multiple of BLOCK). */
export function rangesOf(n: number, lengths: number[]): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (const len of lengths) {
    if (start >= n) break;
    out.push([start, Math.min(len, n - start)]);
    start += len;
  }
  if (start < n) out.push([start, n - start]);
  for (const [s] of out) if (s % BLOCK !== 0) throw new Error(`range start ${s} is not on a block boundary`);
  return out;
}

/** The executor's protocol: passes over every range, partials combined in range order, then the output ranges. */
export function runSplit(c: Case, ranges: [number, number][]): Float32Array {
  return split(c, ranges).out;
}

/** The output, the final state, and the state before each statistics pass. */
export function split(c: Case, ranges: [number, number][]): { out: Float32Array; state: unknown; passes: unknown[] } {
  const stats = getKernel(c.method).statistics!;
  const n = c.base.length;
  const out = new Float32Array(n);
  const env: KernelEnv = { backend: c.backend ?? new TsBackend(), chunk: c.chunk ?? BLOCK, checkpoint: () => {}, warn: () => {}, maskSource: c.maskSource };
  const whole = {
    name: NAME,
    shape: [n],
    numel: n,
    modelParams: c.models.map((_, i) => withDefaults(c.method, 'model', c.modelParams?.[i])),
    global: withDefaults(c.method, 'global', c.global),
    seed: c.seed ?? 0,
  };
  const taskOf = ([start, count]: [number, number]): KernelTask => ({
    ...whole,
    numel: count,
    offset: start,
    base: new ArrayStream(c.base.slice(start, start + count)),
    models: c.models.map((m) => new ArrayStream(m.slice(start, start + count))),
  });
  let state = structuredClone(stats.initial(whole));
  const passes: unknown[] = [];
  while (stats.wantsPass(state)) {
    passes.push(state);
    const partials = ranges.map((r, i) => structuredClone(stats.observe(taskOf(r), state, i, env)));
    state = structuredClone(stats.combine(state, partials));
  }
  ranges.forEach((r, i) => {
    const sink: TensorSink = { write: (s, src, count) => out.set(src.subarray(0, count), r[0] + s) };
    stats.apply(taskOf(r), state, i, sink, env);
  });
  return { out, state, passes };
}

