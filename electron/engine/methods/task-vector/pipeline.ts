/**
 * The task-vector family's streamed run (spec §2): statistics passes for the sparsifiers that need
 * them (all models in the same sweeps), then one output pass: δ_i = x_i − b, sparsify (and
 * rescale), combine, write b + λ·mixed. λ = 0 or every weight 0 returns the base bit-exactly.
 * Units are env.chunk elements, or whole rows when a per-row sparsifier (DELLA) is active.
 */
import { KernelError, type KernelEnv, type KernelTask, type TensorSink, type TensorStream } from '../kernel.js';
import { copyStream, readRange, writeRange } from '../lib/chunked-io.js';
import { MagnitudeOrder } from '../lib/magnitude-order.js';
import { Scratch } from '../lib/scratch.js';
import { ConsensusCombiner, SumCombiner, type Combiner } from './combine.js';
import { FAMILY, type TaskVectorMethodId } from './family.js';
import { makeSparsifier, sparsifies } from './make-sparsifier.js';
import { rowLength, rowUnit } from './rows.js';
import { parseSettings } from './settings.js';
import type { Sparsifier, SparsifyContext } from './sparsifier.js';

/** The base stream, and every model the same length as the task (else a KernelError naming the tensor). */
export function requireInputs(method: string, task: KernelTask): TensorStream {
  if (!task.base) throw new KernelError(`${method} needs a base model, and tensor ${task.name} has none`, task.name);
  for (const [i, s] of [task.base, ...task.models].entries()) {
    if (s.numel !== task.numel) {
      const who = i === 0 ? 'the base' : `model ${i - 1}`;
      throw new KernelError(`tensor ${task.name}: ${who} has ${s.numel} elements, expected ${task.numel}`, task.name);
    }
  }
  return task.base;
}

export function runTaskVector(id: TaskVectorMethodId, task: KernelTask, out: TensorSink, env: KernelEnv): void {
  const shape = FAMILY[id];
  const { settings, problems } = parseSettings(id, shape, task.modelParams, task.global, task.numel);
  if (problems.length > 0) {
    const text = problems.map((p) => (p.model === undefined ? p.message : `model ${p.model}: ${p.message}`)).join('; ');
    throw new KernelError(`${id} on tensor ${task.name}: ${text}`, task.name);
  }
  const base = requireInputs(id, task);
  const n = task.numel;
  if (n === 0) return;
  const be = env.backend;
  const scratch = new Scratch(be);
  if (settings.lambda === 0 || settings.models.every((m) => m.weight === 0)) {
    copyStream(base, n, out, env, scratch.f32(env.chunk)());
    return;
  }

  // Reserve every buffer first (sparsifiers reserve theirs when constructed), then take views.
  const perRow = shape.sparsifier === 'della' && settings.models.some((m) => sparsifies('della', m));
  const rowLen = perRow ? rowLength(task.shape, n) : 0;
  if (perRow && (rowLen <= 0 || n % rowLen !== 0)) {
    throw new KernelError(`tensor ${task.name}: shape [${task.shape.join(', ')}] does not split ${n} elements into rows`, task.name);
  }
  const unit = perRow ? rowUnit(rowLen, env.chunk) : env.chunk;
  const keep = scratch.bytes(unit);
  const rows = perRow ? { length: rowLen, order: new MagnitudeOrder(scratch, rowLen) } : undefined;
  const sparsifiers = settings.models.map((m, i) => {
    const ctx: SparsifyContext = {
      backend: be,
      scratch,
      numel: n,
      name: task.name,
      seed: task.seed >>> 0,
      offset: task.offset,
      modelIndex: i,
      maskSource: env.maskSource,
      keep,
      rows,
    };
    return makeSparsifier(shape.sparsifier, m, settings.rescale, ctx);
  });
  const deltaViews = (shape.consensus ? task.models : task.models.slice(0, 1)).map(() => scratch.f32(unit));
  const bView = scratch.f32(unit);
  const mixedView = scratch.f32(unit);
  const divView = shape.consensus ? scratch.f32(unit) : undefined;

  const deltas = deltaViews.map((v) => v());
  const b = bView();
  const weights = settings.models.map((m) => m.weight);
  const combiner: Combiner = shape.consensus
    ? new ConsensusCombiner(be, weights, settings.consensus, settings.normalize, settings.lambda, mixedView(), divView!())
    : new SumCombiner(be, weights, settings.normalize, settings.lambda, mixedView());

  const forEachUnit = (fn: (start: number, len: number) => void): void => {
    for (let start = 0; start < n; start += unit) {
      env.checkpoint();
      fn(start, Math.min(unit, n - start));
    }
  };
  const readDelta = (i: number, start: number, len: number, dst: Float32Array): void => {
    readRange(task.models[i], start, len, dst, env.chunk);
    be.sub(dst, b, dst, len);
  };

  runStatisticsPasses(sparsifiers, (active) =>
    forEachUnit((start, len) => {
      readRange(base, start, len, b, env.chunk);
      for (const i of active) {
        readDelta(i, start, len, deltas[0]);
        sparsifiers[i].observe(deltas[0], start, len);
      }
    }),
  );

  for (const s of sparsifiers) s.beginApply();
  forEachUnit((start, len) => {
    readRange(base, start, len, b, env.chunk);
    for (let i = 0; i < sparsifiers.length; i++) {
      const d = deltas[shape.consensus ? i : 0];
      readDelta(i, start, len, d);
      sparsifiers[i].apply(d, start, len);
      combiner.add(i, d, len);
    }
    combiner.finish(b, len);
    writeRange(out, start, b, len, env.chunk);
  });
}

/** Runs sweeps until no sparsifier wants another statistics pass; each sweep serves all that do. */
function runStatisticsPasses(sparsifiers: readonly Sparsifier[], sweep: (active: number[]) => void): void {
  for (;;) {
    const active = sparsifiers.flatMap((s, i) => (s.wantsPass() ? [i] : []));
    if (active.length === 0) return;
    for (const i of active) sparsifiers[i].beginPass();
    sweep(active);
    for (const i of active) sparsifiers[i].endPass();
  }
}
