/**
 * The probe engine's public API, for the service and the CLI. Every long call takes an
 * AbortSignal (`signal`, throws CancelledError) and progress callbacks (`onProgress` per stage and
 * variant, `onVariant` / `onCell` as each point's loss becomes known).
 *
 *   probeLoss(model, texts, { window, stride, matmul })         one model's loss per text
 *   interpolationBarrier(a, b, texts, { points: K, cache })      (1−λ)A + λB, K points, barrier
 *   sliderBarrier({ recipe, texts }, axis, { points, range })    a node's slider, K points
 *   recipeSweep({ recipe, texts }, [axis1, axis2?], { cache })   grid of one or two parameters
 *   checkWrittenModel(output, texts, previewLosses)              post-merge check (1e-4 nats)
 *   bestMatmul()                                                 WebAssembly workers or TypeScript
 */
export { probeLoss, type ProbeLossResult, type ProbeRunOptions, type TextLoss } from './probe-loss.js';
export { interpolationBarrier, type BarrierOptions, type BarrierResult, type TextCurve } from './barrier/interpolation-barrier.js';
export { barrierHeight, lambdaPoints, type Curve, type CurvePoint } from './barrier/barrier-height.js';
export type { VariantLossEvent } from './barrier/variant-losses.js';
export {
  recipeSweep,
  sliderBarrier,
  type GridAxis,
  type SliderBarrierResult,
  type SliderOptions,
  type SliderPoint,
  type SweepCell,
  type SweepCellEvent,
  type SweepInput,
  type SweepOptions,
  type SweepResult,
} from './sweep/recipe-sweep.js';
export type { SweepAxis } from './sweep/sweep-axis.js';
export { ProbeCache, probeCacheKey } from './sweep/probe-cache.js';
export { checkWrittenModel, WRITTEN_TOLERANCE, type WrittenCheck } from './check/written-check.js';
export type { StageProgress } from './stream/evaluate-variants.js';
export type { IoStats } from './stream/io-stats.js';
export { bundledProbeTextPaths, readProbeText, textHash, type ProbeText } from './text/probe-text.js';
export { DEFAULT_STRIDE, DEFAULT_WINDOW, type WindowOptions } from './text/windows.js';
export { TS_MATMUL, type MatmulBackend } from './math/matmul.js';
export { bestMatmul, WasmMatmul } from './wasm/wasm-matmul.js';
