/**
 * A forward pass cut into stages that each need a known set of tensors (embedding, each layer,
 * head). The streaming evaluator (evaluate-variants.ts) reads each stage's input tensors once and
 * advances every variant's state through the stage before moving on, so weight I/O never grows
 * with the number of variants.
 */

export interface TensorRequest {
  name: string;
  /** Only these rows of a 2-D tensor, in this order (the embedding rows of the probe's tokens). */
  rows?: Int32Array;
}

export interface StageSpec {
  /** For progress messages: "embedding", "layer 3", "head". */
  label: string;
  layer: number | null;
  tensors: TensorRequest[];
}

/** The weights of one variant for the current stage, float32, rows gathered where requested. */
export interface StageWeights {
  get(name: string): Float32Array;
}

/** Summed loss of one probe text (or data set): mean = nats / count. */
export interface LossTotal {
  nats: number;
  count: number;
}

/** What a program holds besides the weights, for the memory budget (estimates). */
export interface ProgramMemory {
  /** One variant's state between stages (its activations). */
  perVariantBytes: number;
  /** Shared while a stage runs: scratch buffers and the matrix products' copies of their operands. */
  workingBytes: number;
}

export interface ProbeProgram<S> {
  readonly stages: readonly StageSpec[];
  /** Memory besides the weights (absent: negligible). */
  readonly memory?: ProgramMemory;
  /** A fresh state for one variant. */
  init(): S;
  /** Advances one variant's state through stage `index`. */
  run(index: number, weights: StageWeights, state: S): Promise<S>;
  /** Per probe text, after the last stage. */
  totals(state: S): LossTotal[];
}
