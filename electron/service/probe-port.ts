/**
 * What the service needs of the probe engine (electron/engine/probe/): injected through the
 * EnginePort like the merge itself, so service tests can stand in for it.
 */
import type { MergeRecipe } from '../../common/recipe/types.js';
import type { CheckpointInfo } from '../engine/io/types.js';
import type {
  BarrierOptions,
  BarrierResult,
  GridAxis,
  MatmulBackend,
  ProbeCache,
  ProbeRunOptions,
  ProbeText,
  SliderBarrierResult,
  SliderOptions,
  SweepAxis,
  SweepOptions,
  SweepResult,
  WrittenCheck,
} from '../engine/probe/index.js';

export interface ProbeSweepInput {
  recipe: MergeRecipe;
  recipeDir: string;
  texts: readonly ProbeText[];
  /** Inputs already opened (base + LoRA adapter views), by recipe model key. */
  checkpoints?: ReadonlyMap<string, CheckpointInfo>;
}

/** A recipe's inputs opened with LoRA adapters applied (overlay files in a work folder `dispose` removes). */
export interface OpenedInputs {
  checkpoints: ReadonlyMap<string, CheckpointInfo>;
  dispose(): Promise<void>;
}

export interface ProbePort {
  sliderBarrier(input: ProbeSweepInput, axis: SweepAxis, opts: SliderOptions): Promise<SliderBarrierResult>;
  /** `a` and `b` are absolute paths. */
  interpolationBarrier(a: string, b: string, texts: readonly ProbeText[], opts: BarrierOptions): Promise<BarrierResult>;
  recipeSweep(input: ProbeSweepInput, axes: GridAxis[], opts: SweepOptions): Promise<SweepResult>;
  /** `out` is absolute. */
  checkWrittenModel(out: string, texts: readonly ProbeText[], preview: readonly number[], opts: ProbeRunOptions): Promise<WrittenCheck>;
  readProbeText(path: string): Promise<ProbeText>;
  /** Opens a recipe's inputs, applying `model+lora` adapters (the probe's own reader does not). */
  openInputs(recipe: MergeRecipe, recipeDir: string, signal?: AbortSignal): Promise<OpenedInputs>;
  /** Matrix products for every probe of this service (WebAssembly workers when built); closed with the service. */
  matmul(): Promise<MatmulBackend>;
  /** The result cache every probe of this service shares. */
  cache(configDir: string): ProbeCache;
  /** Stops the matrix-product workers. */
  close(): Promise<void>;
  /** Largest accepted |written − preview| in nats per token. */
  readonly writtenTolerance: number;
}
