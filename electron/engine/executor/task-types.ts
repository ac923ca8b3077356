/** What crosses from the main thread to a worker for one output tensor (or one range of it). */
import type { MethodId, ResolvedParams } from '../../../common/methods/types.js';
import type { StatSums } from '../diagnostics/merge-stats.js';
import type { Dtype, FloatDtype } from '../io/dtype.js';

/** Where one input tensor's bytes are. */
export interface InputLocation {
  file: string;
  /** Absolute byte offset of element 0. */
  offset: number;
  dtype: Dtype;
  /** Elements available (after any vocabulary cut). */
  numel: number;
  /** For error messages. */
  tensor: string;
}

export interface OutputLocation {
  file: string;
  /** Absolute byte offset of element 0 of the whole tensor. */
  offset: number;
  dtype: Dtype;
}

export interface ComputeTask {
  kind: 'compute';
  name: string;
  method: MethodId;
  shape: number[];
  /** Elements of the whole output tensor. */
  numel: number;
  /** This task's range [start, start + count) of the tensor (the whole tensor unless split). */
  start: number;
  count: number;
  base?: InputLocation;
  models: InputLocation[];
  /** Fisher merging: each model's Fisher tensor, same order as `models`. */
  fisher?: InputLocation[];
  modelParams: ResolvedParams[];
  global: ResolvedParams;
  seed: number;
  out: OutputLocation & { dtype: FloatDtype };
  /** KernelTask.holdLimit: what the kernel's statistics may hold between passes. */
  holdLimit?: number;
  /**
   * A range of a tensor whose kernel gathers whole-tensor statistics (RangeStatistics), split
   * across workers: which range it is, the tensor-wide state so far, and whether this task is a
   * statistics pass (returns the range's partial, writes nothing) or the output pass.
   */
  split?: { range: number; state: unknown; pass: boolean };
}

export interface CopyTask {
  kind: 'copy';
  name: string;
  from: InputLocation;
  /** Bytes to copy (a vocabulary cut copies the leading rows only). */
  byteLength: number;
  out: OutputLocation;
}

export type WorkerTask = ComputeTask | CopyTask;

/** Shared between the main thread and every worker of a run. */
export interface SharedRunState {
  /** [0]: cancel flag (1 = cancelled). */
  flags: Int32Array;
  /** [0]: bytes of work done (input read once + output written), credited as output is written. */
  progress: BigInt64Array;
}

export interface WorkerRequest {
  task: WorkerTask;
  /** SharedArrayBuffers behind SharedRunState. */
  flagsBuffer: SharedArrayBuffer;
  progressBuffer: SharedArrayBuffer;
  /** Work bytes this task is worth (credited proportionally to output written). */
  workBytes: number;
  chunk: number;
  backend: 'auto' | 'wasm' | 'ts';
  /** Test-only delay after the task (ms). */
  delayMs: number;
  /** Measure the merged range (merge-stats.ts) after computing it. */
  diagnostics: boolean;
}

export interface WorkerResponse {
  name: string;
  warnings: string[];
  /**
   * NaN and ±Inf among the values this task wrote (as written: after rounding to the output dtype;
   * a copied float tensor's values as copied). Absent when there were none.
   */
  nonFinite?: { nan: number; inf: number };
  /** Diagnostics sums of this range, when asked for. */
  stats?: StatSums;
  /** A statistics pass's partial statistics of its range (ComputeTask.split). */
  partial?: unknown;
}

/** Errors cross the thread boundary as plain data and are rebuilt on the main thread. */
export interface WorkerFailure {
  kind: 'input' | 'kernel' | 'cancelled' | 'internal';
  message: string;
  file?: string;
  tensor?: string;
}
