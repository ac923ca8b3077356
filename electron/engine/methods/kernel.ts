/**
 * The interface every merge kernel implements. A kernel computes one output tensor from streamed
 * inputs: it reads ranges of its inputs as float32 (as many passes as it needs), and writes the
 * output range by range through the sink, which rounds to the output dtype. Kernels never hold a
 * whole large tensor: per-tensor state is statistics (norms, histograms, counts), and per-row
 * state at most one chunk of rows.
 */
import type { MethodId, ResolvedParams } from '../../../common/methods/types.js';
import type { Backend } from '../backend/types.js';

/** Float32 view of one input tensor, readable by range (synchronous, positioned). */
export interface TensorStream {
  readonly numel: number;
  /** Fill dst[0..count) with elements [start, start + count) as float32. */
  read(start: number, count: number, dst: Float32Array): void;
  /**
   * Optional: dst[0..count) = elements [start, start + count) − minus[0..count), the bits of read
   * then Backend.sub, in one pass over dst (dst and minus disjoint). Callers fall back to read + sub.
   */
  readMinus?(start: number, count: number, dst: Float32Array, minus: Float32Array): void;
}

/** Where the output goes; rounding to the output dtype happens here. */
export interface TensorSink {
  /** Write src[0..count) as elements [start, start + count) of the output. */
  write(start: number, src: Float32Array, count: number): void;
}

export interface KernelTask {
  /** The output tensor's name (also the name the random keys hash). */
  name: string;
  shape: readonly number[];
  numel: number;
  /** The base model's tensor, when the method uses one. */
  base?: TensorStream;
  /** The non-base inputs, in the node's input order (index i is the RNG's model index). */
  models: TensorStream[];
  /** Fisher merging only: each model's diagonal Fisher, same order and shape as `models`. */
  fisher?: TensorStream[];
  /** Per-model parameters, complete (defaults filled in), one per entry of `models`. */
  modelParams: ResolvedParams[];
  /** Global parameters, complete. */
  global: ResolvedParams;
  /** 32-bit unsigned seed for the counter-based random generator. */
  seed: number;
  /**
   * Flat index of element 0 of these streams in the whole tensor: 0 unless the executor split a
   * `splittable` kernel's tensor into ranges (then numel is the range's length). Random masks use
   * offset + local index, so splitting never changes the bits.
   */
  offset: number;
  /**
   * Bytes the kernel's statistics may hold between passes (DELLA's kept decisions); beyond it they
   * recompute instead. Absent: no limit.
   */
  holdLimit?: number;
}

/** A test hook: replaces the random keep-mask of model i over [start, start + n). */
export type MaskSource = (modelIndex: number, start: number, n: number, keep: Uint8Array) => void;

export interface KernelEnv {
  backend: Backend;
  /** Elements per chunk: a multiple of BLOCK (4096). Kernels read at most this many per read. */
  chunk: number;
  /** Throws when the job has been cancelled; kernels call it between chunks. */
  checkpoint(): void;
  /** Reports something the user should know (a fallback taken, a degenerate case handled). */
  warn(message: string): void;
  maskSource?: MaskSource;
}

/** A parameter problem found before any tensor is read (message names the parameter). */
export interface ParamProblem {
  param: string;
  message: string;
  /** Index into models when the problem is a model's. */
  model?: number;
}

export interface ValidationInput {
  modelParams: ResolvedParams[];
  global: ResolvedParams;
  hasBase: boolean;
  numel: number;
}

/** What RangeStatistics.initial knows of a tensor: the whole tensor's description, no data. */
export type StatisticsInput = Pick<KernelTask, 'name' | 'shape' | 'numel' | 'modelParams' | 'global' | 'seed' | 'holdLimit'>;

/**
 * A kernel's whole-tensor statistics gathered range by range, so that the executor can run the
 * statistics passes of a large tensor, and then its output pass, as ranges on several threads.
 * The state is plain data (it crosses threads). A pass over one range returns that range's partial
 * statistics; combine() turns the partials of every range, in range order, into the next state,
 * and must give the same bits however the tensor was split (histograms add; float64 block sums are
 * added in block order). Ranges start on BLOCK boundaries. run() of such a kernel is
 * runAsOneRange(), so a tensor run whole and one split into ranges share every step.
 */
export interface RangeStatistics<S = unknown, P = unknown> {
  /** Whether a tensor with these parameters may be split into ranges this way. */
  splits(global: ResolvedParams, modelParams: ResolvedParams[]): boolean;
  /**
   * Optional: ranges must also start on multiples of this many elements (DELLA ranks within rows:
   * its ranges are whole rows). A value of numel or more keeps the tensor whole.
   */
  rangeMultiple?(shape: readonly number[], numel: number, global: ResolvedParams, modelParams: ResolvedParams[]): number;
  /**
   * Optional: bytes the state may hold between passes besides the per-unit working memory (DELLA's
   * kept decisions); the executor counts them in the working memory of each of the tensor's units.
   */
  heldBytes?(shape: readonly number[], numel: number, global: ResolvedParams, modelParams: ResolvedParams[], holdLimit?: number): number;
    /** The state before any pass; input.numel is the whole tensor's. */
  initial(input: StatisticsInput): S;
  /** True while another statistics pass is needed before the output pass. */
  wantsPass(state: S): boolean;
  /** One statistics pass over this task's range (the `range`-th of the tensor's ranges): its partial. */
  observe(task: KernelTask, state: S, range: number, env: KernelEnv): P;
  /** The next state from one pass's partials of every range, in range order. */
  combine(state: S, partials: readonly P[]): S;
  /** The output pass over this task's range, once no pass is wanted. */
  apply(task: KernelTask, state: S, range: number, out: TensorSink, env: KernelEnv): void;
}

/** A tensor as one range: every statistics pass, then the output pass. Returns the final state. */
export function runAsOneRange<S, P>(stats: RangeStatistics<S, P>, task: KernelTask, out: TensorSink, env: KernelEnv): S {
  let state = stats.initial(task);
  while (stats.wantsPass(state)) state = stats.combine(state, [stats.observe(task, state, 0, env)]);
  stats.apply(task, state, 0, out, env);
  return state;
}

export interface MethodKernel {
  id: MethodId;
  /**
   * True when every output element depends only on the same element of the inputs (one pass, no
   * per-tensor statistics): the executor may then split a large tensor into ranges run in parallel.
   * It may depend on the parameters (DARE is elementwise with `inverse` rescale, not with `l1`).
   */
  splittable(global: ResolvedParams, modelParams: ResolvedParams[]): boolean;
  /** Whole-tensor statistics that can be gathered range by range (see RangeStatistics). */
  statistics?: RangeStatistics;
  /** Degenerate parameters for one tensor (spec §0), checked for every tensor before any is read. */
  validate?(input: ValidationInput): ParamProblem[];
  /**
   * Writes the tensor. A kernel run as one range of its statistics may return the final state
   * (what the diagnostics read, as they read a split run's).
   */
  run(task: KernelTask, out: TensorSink, env: KernelEnv): unknown;
}

/** Thrown by a kernel for a data-dependent degeneracy (e.g. model_stock's 1 + (N−1)cos θ = 0). */
export class KernelError extends Error {
  constructor(
    message: string,
    readonly tensor: string,
  ) {
    super(message);
    this.name = 'KernelError';
  }
}

export function num(p: ResolvedParams, key: string): number {
  const v = p[key];
  if (typeof v !== 'number') throw new Error(`parameter '${key}' is not a number (got ${JSON.stringify(v)})`);
  return v;
}

export function bool(p: ResolvedParams, key: string): boolean {
  const v = p[key];
  if (typeof v !== 'boolean') throw new Error(`parameter '${key}' is not a boolean (got ${JSON.stringify(v)})`);
  return v;
}

export function str(p: ResolvedParams, key: string): string {
  const v = p[key];
  if (typeof v !== 'string') throw new Error(`parameter '${key}' is not a string (got ${JSON.stringify(v)})`);
  return v;
}

/** Calls fn for consecutive chunks [start, start + len) of [0, n), checking for cancellation. */
export function forEachChunk(n: number, env: KernelEnv, fn: (start: number, len: number) => void): void {
  for (let start = 0; start < n; start += env.chunk) {
    env.checkpoint();
    fn(start, Math.min(env.chunk, n - start));
  }
}
