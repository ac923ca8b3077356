/**
 * Tasks: the service's long requests other than merges (probes now; alignment, LoRA and Fisher
 * stages too), each started by `task.start`, reporting `task.event`s as it goes, cancellable, and
 * ending with exactly one of `task.finished` (with its result), `task.failed` or `task.cancelled`.
 * Losses are nats per token; a loss that could not be computed (NaN on the engine side) is null.
 */
import { z } from 'zod';
import { MergeRecipeSchema } from './recipe.js';

/** A probe text: one of the bundled texts (assets/probe-texts/, by file name) or a file on the host. */
export const ProbeTextRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bundled'), name: z.string().min(1).max(200) }),
  z.strictObject({ kind: z.literal('file'), path: z.string().min(1) }),
]);
export type ProbeTextRef = z.infer<typeof ProbeTextRefSchema>;

export const ProbeSettingsSchema = z.strictObject({
  texts: z.array(ProbeTextRefSchema).min(1).max(16),
  /** Tokens per window and distance between window starts (engine defaults 128 and 128). */
  window: z.number().int().min(2).max(1 << 16).optional(),
  stride: z.number().int().min(1).max(1 << 16).optional(),
  /** Several texts: one pass per text, each text's curve shown as soon as its pass ends (weights read once per text, not once). */
  textByText: z.boolean().optional(),
});
export type ProbeSettings = z.infer<typeof ProbeSettingsSchema>;

/** A numeric parameter of a merge node: global, or one model's own (its index in the recipe's models). */
export const SweepAxisSchema = z.strictObject({ param: z.string().min(1), model: z.number().int().nonnegative().optional() });
export type SweepAxis = z.infer<typeof SweepAxisSchema>;
export const GridAxisSchema = z.strictObject({
  param: z.string().min(1),
  model: z.number().int().nonnegative().optional(),
  values: z.array(z.number().finite()).min(1).max(64),
});
export type GridAxis = z.infer<typeof GridAxisSchema>;

/** Largest sweep grid (cells) one task may ask for. */
export const MAX_SWEEP_CELLS = 400;
const points = z.number().int().min(2).max(101);
const nodeId = z.string().optional();

export const SliderBarrierTaskSchema = z.strictObject({
  kind: z.literal('sliderBarrier'),
  recipe: MergeRecipeSchema,
  recipeDir: z.string(),
  axis: SweepAxisSchema,
  /** K (default 11 in the UI). */
  points,
  /** The slider's range; the engine clamps values into the parameter's valid range. */
  range: z.tuple([z.number().finite(), z.number().finite()]).optional(),
  probe: ProbeSettingsSchema,
  nodeId,
});
export const InterpolationBarrierTaskSchema = z.strictObject({
  kind: z.literal('interpolationBarrier'),
  /** (1−λ)·A + λ·B: model paths, relative ones resolved against recipeDir. */
  a: z.string().min(1),
  b: z.string().min(1),
  recipeDir: z.string(),
  points,
  probe: ProbeSettingsSchema,
  nodeId,
});
export const SweepTaskSchema = z
  .strictObject({
    kind: z.literal('sweep'),
    recipe: MergeRecipeSchema,
    recipeDir: z.string(),
    axes: z.array(GridAxisSchema).min(1).max(2),
    probe: ProbeSettingsSchema,
    nodeId,
  })
  .refine((t) => t.axes.reduce((n, a) => n * a.values.length, 1) <= MAX_SWEEP_CELLS, { message: `a sweep has at most ${MAX_SWEEP_CELLS} cells` });
export const CheckTaskSchema = z.strictObject({
  kind: z.literal('check'),
  /** The written model (an output folder). */
  out: z.string().min(1),
  recipeDir: z.string(),
  probe: ProbeSettingsSchema,
  /** The preview's loss per probe text at the setting that was written. */
  preview: z.array(z.number().finite()).min(1),
  nodeId,
});

/** Issue 6's stages: B permuted onto A (Git Re-Basin weight matching) into a model folder. */
export const AlignTaskSchema = z.strictObject({
  kind: z.literal('align'),
  reference: z.string().min(1),
  model: z.string().min(1),
  out: z.string().min(1),
  recipeDir: z.string(),
  seed: z.number().int().min(0).max(0xffffffff),
  maxSweeps: z.number().int().min(1).max(100_000),
  /** Align again even when the folder already holds this alignment. */
  force: z.boolean(),
  nodeId,
});
/** A model's diagonal Fisher estimated on probe text, written to a Fisher file. */
export const FisherEstimateTaskSchema = z.strictObject({
  kind: z.literal('fisherEstimate'),
  model: z.string().min(1),
  out: z.string().min(1),
  recipeDir: z.string(),
  probe: ProbeSettingsSchema,
  /** Estimate again even when the file already holds this model's Fisher. */
  force: z.boolean(),
  nodeId,
});

export const TaskSpecSchema = z.discriminatedUnion('kind', [
  SliderBarrierTaskSchema,
  InterpolationBarrierTaskSchema,
  SweepTaskSchema,
  CheckTaskSchema,
  AlignTaskSchema,
  FisherEstimateTaskSchema,
]);
export type TaskSpec = z.infer<typeof TaskSpecSchema>;
export type TaskKind = TaskSpec['kind'];

const loss = z.number().nullable();
const index = z.number().int().nonnegative();

/** One point of a barrier curve, as soon as its losses are known. `value` is the slider's value (null on the A–B line). */
export const PointEventSchema = z.strictObject({
  type: z.literal('point'),
  index,
  lambda: z.number(),
  value: z.number().nullable(),
  /** Per probe text, in the order asked. */
  losses: z.array(loss),
  mean: loss,
});
/** One cell of a sweep grid. */
export const CellEventSchema = z.strictObject({
  type: z.literal('cell'),
  index,
  values: z.array(z.number()),
  losses: z.array(loss),
  mean: loss,
  /** This setting cannot be merged (the planner's reason). */
  error: z.string().optional(),
});
/** Progress through the model, stage by stage (embedding, layers, head), every variant advancing. */
export const StageEventSchema = z.strictObject({
  type: z.literal('stage'),
  stage: index,
  stages: z.number().int().positive(),
  label: z.string(),
  layer: z.number().int().nullable(),
  /** How many stages are layers ("layer 12/32"). */
  layers: z.number().int().nonnegative().optional(),
  /** Text-by-text probes: this pass (one per text) of `passes`. */
  pass: index.optional(),
  passes: z.number().int().positive().optional(),
  variantsDone: index,
  variants: z.number().int().positive(),
});
/** Progress of a stage: alignment steps (sweep × groups) or Fisher windows. */
export const StepEventSchema = z.strictObject({ type: z.literal('step'), done: index, total: z.number().int().nonnegative(), label: z.string() });
export const TaskEventSchema = z.discriminatedUnion('type', [PointEventSchema, CellEventSchema, StageEventSchema, StepEventSchema]);
export type TaskEvent = z.infer<typeof TaskEventSchema>;

const curvePoint = z.strictObject({ lambda: z.number(), loss });
export const BarrierResultSchema = z.strictObject({
  kind: z.literal('barrier'),
  /** Mean over texts at each λ, with the slider's value there (null on the A–B line). */
  points: z.array(z.strictObject({ lambda: z.number(), loss, value: z.number().nullable() })),
  /** max_j loss(λ_j) − the straight line between the endpoint losses. */
  barrier: loss,
  texts: z.array(z.strictObject({ name: z.string(), tokens: z.number().int().nonnegative(), points: z.array(curvePoint), barrier: loss })),
  warnings: z.array(z.string()),
  /** The whole result came from the probe cache (no weight was read). */
  cached: z.boolean(),
});
export const SweepResultSchema = z.strictObject({
  kind: z.literal('sweep'),
  axes: z.array(GridAxisSchema),
  /** Row-major over the axes (the last varies fastest). */
  cells: z.array(z.strictObject({ values: z.array(z.number()), losses: z.array(loss), mean: loss, error: z.string().optional() })),
  best: index,
  texts: z.array(z.strictObject({ name: z.string(), tokens: z.number().int().nonnegative() })),
  warnings: z.array(z.string()),
  cached: z.boolean(),
});
export const CheckResultSchema = z.strictObject({
  kind: z.literal('check'),
  ok: z.boolean(),
  written: z.array(z.strictObject({ name: z.string(), loss, tokens: z.number().int().nonnegative() })),
  preview: z.array(z.number()),
  /** Largest |written − preview| over texts (null when not finite). */
  maxDifference: loss,
  tolerance: z.number(),
  message: z.string().optional(),
});
/** One permutation group of the alignment: the matching objective Σ⟨A, B⟩ over its tensors before and after, and units moved. */
export const AlignGroupSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['units', 'heads']),
  /** Units permuted (hidden units, or query heads for an attention group). */
  units: z.number().int().nonnegative(),
  moved: z.number().int().nonnegative(),
  /** KV heads of an attention group. */
  kvUnits: z.number().int().nonnegative().optional(),
  kvMoved: z.number().int().nonnegative().optional(),
  before: z.number(),
  after: z.number(),
});
export type AlignGroup = z.infer<typeof AlignGroupSchema>;
export const AlignResultSchema = z.strictObject({
  kind: z.literal('align'),
  out: z.string(),
  /** The folder already held this alignment (same inputs and seed): nothing was recomputed. */
  skipped: z.boolean(),
  sweeps: z.number().int().nonnegative(),
  converged: z.boolean(),
  initialObjective: z.number(),
  objective: z.number(),
  groups: z.array(AlignGroupSchema),
  warnings: z.array(z.string()),
});
export const FisherResultSchema = z.strictObject({
  kind: z.literal('fisher'),
  out: z.string(),
  skipped: z.boolean(),
  /** What the numbers are (shown with the Fisher). */
  estimator: z.string(),
  /** Windows averaged over. */
  count: z.number().int().nonnegative(),
  sources: z.array(z.string()),
  loss: z.number().nullable(),
});
export const TaskResultSchema = z.discriminatedUnion('kind', [BarrierResultSchema, SweepResultSchema, CheckResultSchema, AlignResultSchema, FisherResultSchema]);
export type AlignTaskResult = z.infer<typeof AlignResultSchema>;
export type FisherTaskResult = z.infer<typeof FisherResultSchema>;

/** Before estimating a Fisher in the app: how much work it is (a rough, measured-throughput estimate). */
export const FisherPlanSchema = z.strictObject({
  windows: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  parameters: z.number().nonnegative(),
  /** Forward + backward pass over every window at this machine's measured matrix-product speed. */
  seconds: z.number().nonnegative(),
  /** Weights and Fisher sums held as float32. */
  memoryBytes: z.number().nonnegative(),
  /** An existing file at the destination already holds this model's Fisher. */
  existing: z.strictObject({ estimator: z.string(), count: z.number().int().nonnegative(), sources: z.array(z.string()) }).nullable(),
});
export type FisherPlan = z.infer<typeof FisherPlanSchema>;
export type TaskResult = z.infer<typeof TaskResultSchema>;
export type BarrierTaskResult = z.infer<typeof BarrierResultSchema>;
export type SweepTaskResult = z.infer<typeof SweepResultSchema>;
export type CheckTaskResult = z.infer<typeof CheckResultSchema>;

export const BundledTextSchema = z.strictObject({ name: z.string(), chars: z.number().int().nonnegative(), excerpt: z.string() });
export type BundledText = z.infer<typeof BundledTextSchema>;
