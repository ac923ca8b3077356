/**
 * The task-vector family's streamed run (spec §2): statistics passes for the sparsifiers that need
 * them (all models in the same sweeps), then one output pass: δ_i = x_i − b, sparsify (and
 * rescale), combine, write b + λ·mixed. λ = 0 or every weight 0 returns the base bit-exactly.
 * Units are env.chunk elements, or whole rows when a per-row sparsifier (DELLA) is active.
 *
 * The passes run range by range (RangeStatistics): a tensor run whole is one range; the executor
 * may split a large one into ranges on several threads, and sparsifier-stats.ts combines the
 * ranges' partial statistics so that the bits are the same either way.
 */
import { KernelError, type KernelEnv, type KernelTask, type RangeStatistics, type StatisticsInput, type TensorSink, type TensorStream } from '../kernel.js';
import { copyStream, readRange, readRangeMinus, writeRange } from '../lib/chunked-io.js';
import { rangePieces, samplePieces } from '../lib/cut-window.js';
import { MagnitudeOrder } from '../lib/magnitude-order.js';
import { Scratch } from '../lib/scratch.js';
import type { ResolvedParams } from '../../../../common/methods/types.js';
import { ConsensusCombiner, SumCombiner, type Combiner } from './combine.js';
import { FAMILY, type SparsifierKind, type TaskVectorMethodId } from './family.js';
import { makeSparsifier } from './make-sparsifier.js';
import { rowLength, rowUnit } from './rows.js';
import { parseSettings, type TaskVectorSettings } from './settings.js';
import type { Sparsifier, SparsifyContext } from './sparsifier.js';
import { combine, decisionBytes, initialState, sampledNumel, sparsifies, wantsPass, type SparsifierPartial, type SparsifierState } from './sparsifier-stats.js';

/** Every model's sparsifier statistics (plain data). */
export interface TaskVectorState {
  models: SparsifierState[];
}

/** One range's partial statistics of one pass: per model, or null for a model the pass did not serve. */
export type TaskVectorPartial = (SparsifierPartial | null)[];

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

/**
 * The settings, or a KernelError naming every problem. numel: the whole tensor's, for the checks
 * that depend on it; 0 for a range (initial() made those checks on the whole tensor).
 */
function settingsOf(id: TaskVectorMethodId, input: Pick<StatisticsInput, 'name' | 'modelParams' | 'global'>, numel: number): TaskVectorSettings {
  const { settings, problems } = parseSettings(id, FAMILY[id], input.modelParams, input.global, numel);
  if (problems.length > 0) {
    const text = problems.map((p) => (p.model === undefined ? p.message : `model ${p.model}: ${p.message}`)).join('; ');
    throw new KernelError(`${id} on tensor ${input.name}: ${text}`, input.name);
  }
  return settings;
}

/** λ = 0 or every weight 0: the output is the base, and no statistics are needed. */
function returnsBase(settings: TaskVectorSettings): boolean {
  return settings.lambda === 0 || settings.models.every((m) => m.weight === 0);
}

/** Buffers, sparsifiers and loops of one range, shared by its statistics passes and its output pass. */
class RangeRun {
  readonly sparsifiers: Sparsifier[];
  readonly deltas: Float32Array[];
  readonly b: Float32Array;
  readonly combiner: Combiner;
  private readonly unit: number;

  constructor(
    private readonly id: TaskVectorMethodId,
    private readonly task: KernelTask,
    private readonly settings: TaskVectorSettings,
    private readonly state: TaskVectorState,
    range: number,
    private readonly env: KernelEnv,
  ) {
    const shape = FAMILY[id];
    const be = env.backend;
    const n = task.numel;
    const scratch = new Scratch(be);
    // Reserve every buffer first (sparsifiers reserve theirs when constructed), then take views.
    const perRow = shape.sparsifier === 'della' && settings.models.some((m) => sparsifies('della', m));
    const rowLen = perRow ? rowLength(task.shape, n) : 0;
    if (perRow && (rowLen <= 0 || n % rowLen !== 0)) {
      throw new KernelError(`tensor ${task.name}: shape [${task.shape.join(', ')}] does not split ${n} elements into rows`, task.name);
    }
    this.unit = perRow ? rowUnit(rowLen, env.chunk) : env.chunk;
    const keep = scratch.bytes(this.unit);
    const rows = perRow ? { length: rowLen, order: new MagnitudeOrder(scratch, rowLen) } : undefined;
    this.sparsifiers = settings.models.map((m, i) => {
      const ctx: SparsifyContext = {
        backend: be,
        scratch,
        numel: n,
        name: task.name,
        seed: task.seed >>> 0,
        offset: task.offset,
        range,
        modelIndex: i,
        maskSource: env.maskSource,
        unit: this.unit,
        keep,
        rows,
      };
      return makeSparsifier(shape.sparsifier, m, settings.rescale, state.models[i], ctx);
    });
    const deltaViews = (shape.consensus ? task.models : task.models.slice(0, 1)).map(() => scratch.f32(this.unit));
    const bView = scratch.f32(this.unit);
    const mixedView = scratch.f32(this.unit);
    const divView = shape.consensus ? scratch.f32(this.unit) : undefined;

    this.deltas = deltaViews.map((v) => v());
    this.b = bView();
    const weights = settings.models.map((m) => m.weight);
    this.combiner = shape.consensus
      ? new ConsensusCombiner(be, weights, settings.consensus, settings.normalize, settings.lambda, mixedView(), divView!())
      : new SumCombiner(be, weights, settings.normalize, settings.lambda, mixedView());
  }

  forEachUnit(fn: (start: number, len: number) => void): void {
    const n = this.task.numel;
    for (let start = 0; start < n; start += this.unit) {
      this.env.checkpoint();
      fn(start, Math.min(this.unit, n - start));
    }
  }

  /**
   * Like forEachUnit, over the sampled pieces of the range only (lib/cut-window.ts): a range of a
   * split tensor samples its share of the pieces. numel: the whole tensor's.
   */
  forEachSampledUnit(numel: number, fn: (start: number, len: number) => void): void {
    for (const piece of samplePieces(this.task.numel, rangePieces(this.task.numel, numel))) {
      for (let start = piece.start; start < piece.start + piece.len; start += this.unit) {
        this.env.checkpoint();
        fn(start, Math.min(this.unit, piece.start + piece.len - start));
      }
    }
  }

  readBase(start: number, len: number): void {
    readRange(this.task.base!, start, len, this.b, this.env.chunk);
  }

  readDelta(i: number, start: number, len: number, dst: Float32Array): void {
    readRangeMinus(this.task.models[i], start, len, dst, this.b, this.env.chunk, this.env.backend);
  }

  /** One statistics sweep over the range for the models whose state wants a pass. */
  observe(): TaskVectorPartial {
    const active = this.sparsifiers.flatMap((s, i) => (s.wantsPass() ? [i] : []));
    const sampled = active.filter((i) => this.sparsifiers[i].samplesOnly()).length;
    if (sampled !== 0 && sampled !== active.length) throw new Error(`tensor ${this.task.name}: a sampling pass cannot share a sweep with a full pass`);
    for (const i of active) this.sparsifiers[i].beginPass();
    const d = this.deltas[0];
    const sampledOf = sampled > 0 ? sampledNumel(this.state.models[active[0]]) : undefined;
    const sweep = sampledOf !== undefined ? this.forEachSampledUnit.bind(this, sampledOf) : this.forEachUnit.bind(this);
    sweep((start, len) => {
      this.readBase(start, len);
      for (const i of active) {
        this.readDelta(i, start, len, d);
        this.sparsifiers[i].observe(d, start, len);
      }
    });
    return this.sparsifiers.map((s, i) => (active.includes(i) ? s.endPass() : null));
  }

  /** The output pass over the range. */
  apply(out: TensorSink): void {
    const consensus = FAMILY[this.id].consensus;
    for (const s of this.sparsifiers) s.beginApply();
    this.forEachUnit((start, len) => {
      this.readBase(start, len);
      for (let i = 0; i < this.sparsifiers.length; i++) {
        const d = this.deltas[consensus ? i : 0];
        this.readDelta(i, start, len, d);
        this.sparsifiers[i].apply(d, start, len);
        this.combiner.add(i, d, len);
      }
      this.combiner.finish(this.b, len);
      writeRange(out, start, this.b, len, this.env.chunk);
    });
  }
}

/** Bytes of kept decisions the models' states hold between passes. */
function heldDecisionBytes(states: readonly SparsifierState[], numel: number, tensorShape: readonly number[]): number {
  const row = rowLength(tensorShape, numel);
  return states.reduce((sum, s) => sum + decisionBytes(s, numel, row), 0);
}

/**
 * Every model's state before any pass. DELLA's kept decisions go when they would hold more than
 * `holdLimit` bytes: the output pass then ranks the rows again (the same bits).
 */
function initialStates(kind: SparsifierKind, settings: TaskVectorSettings, numel: number, tensorShape: readonly number[], holdLimit = Infinity): SparsifierState[] {
  const states = settings.models.map((m) => initialState(kind, m, settings.rescale, numel));
  if (heldDecisionBytes(states, numel, tensorShape) <= holdLimit) return states;
  return states.map((s) => (s.kind === 'l1' && s.keepsDecisions ? { ...s, keepsDecisions: false } : s));
}

export function taskVectorStatistics(id: TaskVectorMethodId): RangeStatistics<TaskVectorState, TaskVectorPartial> {
  const shape = FAMILY[id];
  return {
    splits: (global: ResolvedParams, modelParams: ResolvedParams[]) => parseSettings(id, shape, modelParams, global, 0).problems.length === 0,
    // DELLA ranks within rows: its ranges are whole rows (a 1-D tensor is one row, so it stays whole).
    rangeMultiple(tensorShape, numel, global, modelParams) {
      if (shape.sparsifier !== 'della') return 1;
      const { settings } = parseSettings(id, shape, modelParams, global, 0);
      if (!settings.models.some((m) => sparsifies('della', m))) return 1;
      return tensorShape.length >= 2 ? rowLength(tensorShape, numel) : Math.max(1, numel);
    },
    heldBytes(tensorShape, numel, global, modelParams, holdLimit) {
      const { settings, problems } = parseSettings(id, shape, modelParams, global, numel);
      if (problems.length > 0 || returnsBase(settings)) return 0;
      return heldDecisionBytes(initialStates(shape.sparsifier, settings, numel, tensorShape, holdLimit), numel, tensorShape);
    },
    initial(input) {
      const settings = settingsOf(id, input, input.numel);
      if (returnsBase(settings)) return { models: settings.models.map(() => ({ kind: 'none' as const })) };
      return { models: initialStates(shape.sparsifier, settings, input.numel, input.shape, input.holdLimit) };
    },
    wantsPass: (state) => state.models.some(wantsPass),
    observe(task, state, range, env) {
      requireInputs(id, task);
      if (task.numel === 0) return state.models.map(() => null);
      return new RangeRun(id, task, settingsOf(id, task, 0), state, range, env).observe();
    },
    combine: (state, partials) => ({
      models: state.models.map((m, i) => (wantsPass(m) ? combine(m, partials.map((p) => p[i]!)) : m)),
    }),
    apply(task, state, range, out, env) {
      const settings = settingsOf(id, task, 0);
      const base = requireInputs(id, task);
      if (task.numel === 0) return;
      if (returnsBase(settings)) {
        copyStream(base, task.numel, out, env, new Scratch(env.backend).f32(env.chunk)());
        return;
      }
      new RangeRun(id, task, settings, state, range, env).apply(out);
    },
  };
}

/**
 * Per model, the keep decisions its norms pass kept for range `range` (DELLA with the l1 rescale,
 * kept-decisions.ts), or undefined: what the diagnostics count kept from, instead of ranking every
 * row again.
 */
export function rangeDecisions(state: TaskVectorState, range: number): (Uint8Array | undefined)[] {
  return state.models.map((m) => (m.kind === 'l1' && m.phase === 'ready' ? m.decisions?.[range] : undefined));
}
