/**
 * The engine's entry point for one merge, as the CLI and the service call it.
 * (Implementation: run-merge.ts. Errors thrown: InputError (bad input, names file/tensor),
 * ValidationError (recipe problems, before any tensor is read), CancelledError, or Error (internal).)
 */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import type { MergeStats } from '../diagnostics/merge-stats.js';
import type { StageRecord } from '../provenance/stage-record.js';
import type { CheckpointInfo } from '../io/types.js';

export type TensorGroup = 'attention' | 'mlp' | 'norm' | 'embedding' | 'other';

export interface ProgressEvent {
  type: 'progress';
  tensorsDone: number;
  tensorsTotal: number;
  /** Input + output bytes processed so far, and in all. */
  bytesDone: number;
  bytesTotal: number;
  /** Over the last second or so. */
  bytesPerSecond: number;
  elapsedSeconds: number;
  etaSeconds: number | null;
}

export interface TensorDoneEvent {
  type: 'tensor';
  name: string;
  /** Output layer index, or null outside the layer stack. */
  layer: number | null;
  group: TensorGroup;
}

export interface WarningEvent {
  type: 'warning';
  message: string;
}

/** Weight-space diagnostics of a finished tensor (when RunOptions.diagnostics is on). */
export interface DiagnosticsEvent {
  type: 'diagnostics';
  name: string;
  layer: number | null;
  group: TensorGroup;
  stats: MergeStats;
}

export type RunEvent = ProgressEvent | TensorDoneEvent | WarningEvent | DiagnosticsEvent;

export interface RunOptions {
  recipe: MergeRecipe;
  /** Folder relative model references resolve against when modelsRoot is not given. */
  recipeDir: string;
  modelsRoot?: string;
  out: string;
  /** Replace an existing output (built beside it, swapped in when complete). */
  force?: boolean;
  /** Files the run reads besides the models (the recipe or project file): the output may not be or contain them. */
  readFiles?: readonly string[];
  /** Merge inputs of different architectures anyway (mergekit's --allow-crimes); refused by default. */
  allowCrimes?: boolean;
  /** Worker threads; default: available cores. */
  threads?: number;
  /** Bytes; default: a quarter of physical memory, at least 2 GB. */
  memoryBudget?: number;
  /** Bytes per output shard; default 5 GB. */
  shardSize?: number;
  /** Overrides the recipe's seed. */
  seed?: number;
  /**
   * Elements per range when a large tensor is split across worker threads (a multiple of 4096);
   * default 2^24. The bits written never depend on it; tests make it small to split small tensors.
   */
  splitElements?: number;
  /** Compute backend; default 'auto' (WebAssembly SIMD when it loads). */
  backend?: 'auto' | 'wasm' | 'ts';
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /**
   * Model keys already resolved to a folder, used before any other resolution: the outputs of
   * earlier stages of a multi-stage recipe, named by the stage.
   */
  modelPaths?: Readonly<Record<string, string>>;
  /**
   * Pre-flight of a chain only: model keys standing for checkpoints not written yet (an earlier
   * `slices:` stage's output), given as the headers they will have. Used before modelPaths.
   */
  standIns?: ReadonlyMap<string, CheckpointInfo>;
  /**
   * What to store as provenance besides the recipe (e.g. the editor's graph; without one the
   * recipe's own graph layout is stored). fullHash: also record every input file's full-content sha256.
   * stages: the earlier stages of a chain (the final merge of a multi-stage run records them all).
   */
  provenance?: { graph?: unknown; recipeYaml?: string; fullHash?: boolean; stages?: readonly StageRecord[] };
  /**
   * Measure every merged tensor (task-vector norms, cosines, sign conflicts, norm sag, NaN/Inf)
   * and emit `diagnostics` events: one more read of the inputs and of the written output.
   */
  diagnostics?: boolean;
  /** Test-only: sleep this long per tensor so UI tests can watch a run. Never set by default. */
  testDelayMsPerTensor?: number;
}

export interface RunResult {
  out: string;
  tensors: number;
  /** Bytes of tensor data written. */
  bytes: number;
  seconds: number;
  warnings: string[];
  layerCount?: number;
}

export interface Preflight {
  tensors: number;
  layerCount?: number;
  bytesToRead: number;
  bytesToWrite: number;
  memoryBudget: number;
  /** Free bytes on the output's filesystem. */
  freeDisk: number;
  fitsOnDisk: boolean;
  warnings: string[];
  /** Per output tensor: name, layer, group, shape, dtype (for the run panel's layer grid). */
  tensorList: { name: string; layer: number | null; group: TensorGroup; shape: number[]; dtype: string }[];
}
