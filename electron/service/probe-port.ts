/**
 * What the service needs of the probe engine (electron/engine/probe/): injected through the
 * EnginePort like the merge itself, so service tests can stand in for it.
 */
import type { MergeRecipe } from '../../common/recipe/types.js';
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
}

export interface ProbePort {
  sliderBarrier(input: ProbeSweepInput, axis: SweepAxis, opts: SliderOptions): Promise<SliderBarrierResult>;
  /** `a` and `b` are absolute paths. */
  interpolationBarrier(a: string, b: string, texts: readonly ProbeText[], opts: BarrierOptions): Promise<BarrierResult>;
  recipeSweep(input: ProbeSweepInput, axes: GridAxis[], opts: SweepOptions): Promise<SweepResult>;
  /** `out` is absolute. */
  checkWrittenModel(out: string, texts: readonly ProbeText[], preview: readonly number[], opts: ProbeRunOptions): Promise<WrittenCheck>;
  readProbeText(path: string): Promise<ProbeText>;
  /** Matrix products for every probe of this service (WebAssembly workers when built); closed with the service. */
  matmul(): Promise<MatmulBackend>;
  /** The result cache every probe of this service shares. */
  cache(configDir: string): ProbeCache;
  /** Stops the matrix-product workers. */
  close(): Promise<void>;
  /** Largest accepted |written − preview| in nats per token. */
  readonly writtenTolerance: number;
}
