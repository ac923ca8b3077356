/** Jobs: what a run is asked to do, and the metadata that comes back (never tensors). */
import { z } from 'zod';
import { MergeRecipeSchema } from './recipe.js';
import { TensorGroupSchema } from './checkpoint.js';

export const JobSpecSchema = z.strictObject({
  recipe: MergeRecipeSchema,
  /** Folder relative model references and the output resolve against (the project's folder). */
  recipeDir: z.string(),
  out: z.string().min(1),
  force: z.boolean(),
  shardSize: z.number().int().positive().optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  /** The merge node and output node this job comes from: errors are shown there. */
  mergeNodeId: z.string().optional(),
  outputNodeId: z.string().optional(),
  /** The editor's graph, stored as provenance beside the output. */
  graph: z.unknown().optional(),
  /** Measure every merged tensor and stream diagnostics events (the live heatmap). */
  diagnostics: z.boolean().optional(),
  /**
   * Fisher merging, the first form: each recipe model's Fisher file, in the recipe's order. Folded
   * into the recipe's models (ModelSpec.fisher, which the app now sends) and run like any merge.
   */
  fisherFiles: z.array(z.string().min(1)).min(1).optional(),
  /**
   * A chain of merges (mergekit-multi): the merges `recipe` needs first, in run order, each named
   * (its name is a model reference in the later recipes) and with the merge node it comes from.
   * Their outputs go to a temporary folder beside `out`, removed when the job ends.
   */
  stages: z
    .array(z.strictObject({ recipe: MergeRecipeSchema, mergeNodeId: z.string().optional() }))
    .min(1)
    .optional(),
});
export type JobSpec = z.infer<typeof JobSpecSchema>;

export const ProgressEventSchema = z.strictObject({
  type: z.literal('progress'),
  tensorsDone: z.number(),
  tensorsTotal: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  bytesPerSecond: z.number(),
  elapsedSeconds: z.number(),
  etaSeconds: z.number().nullable(),
});
export const TensorDoneEventSchema = z.strictObject({
  type: z.literal('tensor'),
  name: z.string(),
  layer: z.number().int().nullable(),
  group: TensorGroupSchema,
});
export const WarningEventSchema = z.strictObject({ type: z.literal('warning'), message: z.string() });
/** Weight-space diagnostics of a merged tensor (the live heatmap). NaN-free: null where undefined. */
export const MergeStatsSchema = z.strictObject({
  /** Null where not finite (a tensor holding NaN or ±Inf). */
  taskNorms: z.array(z.number().nullable()),
  normRatio: z.number().nullable(),
  cosine: z.number().nullable(),
  signConflict: z.number().nullable(),
  normSag: z.number().nullable(),
  mergedNorm: z.number().nullable(),
  nan: z.number().int().nonnegative(),
  inf: z.number().int().nonnegative(),
  /** Non-zero task-vector coordinates per model, and how many of them trimming or dropping kept (null: the method neither trims nor drops). */
  taskNonzero: z.array(z.number().int().nonnegative()),
  taskKept: z.array(z.number().int().nonnegative()).nullable(),
  /** taskKept / taskNonzero per model (null for an all-zero task vector). */
  keptFraction: z.array(z.number().min(0).max(1).nullable()).nullable(),
});
export const DiagnosticsEventSchema = z.strictObject({
  type: z.literal('diagnostics'),
  name: z.string(),
  layer: z.number().int().nullable(),
  group: TensorGroupSchema,
  stats: MergeStatsSchema,
});
/** A chain's stage begins (its progress and tensor events follow); the final merge is the last stage. */
export const ChainStageEventSchema = z.strictObject({
  type: z.literal('stage'),
  /** 1-based, of `count`. */
  index: z.number().int().positive(),
  count: z.number().int().positive(),
  /** The stage's name; null for the final merge when unnamed. */
  name: z.string().nullable(),
  /** The merge node the stage comes from. */
  mergeNodeId: z.string().optional(),
});
export const RunEventSchema = z.discriminatedUnion('type', [ProgressEventSchema, TensorDoneEventSchema, WarningEventSchema, DiagnosticsEventSchema, ChainStageEventSchema]);
export type RunEvent = z.infer<typeof RunEventSchema>;

export const PreflightSchema = z.strictObject({
  tensors: z.number().int().nonnegative(),
  layerCount: z.number().int().nonnegative().optional(),
  bytesToRead: z.number().nonnegative(),
  bytesToWrite: z.number().nonnegative(),
  memoryBudget: z.number().nonnegative(),
  freeDisk: z.number().nonnegative(),
  fitsOnDisk: z.boolean(),
  warnings: z.array(z.string()),
  tensorList: z.array(
    z.strictObject({
      name: z.string(),
      layer: z.number().int().nullable(),
      group: TensorGroupSchema,
      shape: z.array(z.number().int().nonnegative()),
      dtype: z.string(),
    }),
  ),
});
export type Preflight = z.infer<typeof PreflightSchema>;

export const RunResultSchema = z.strictObject({
  out: z.string(),
  tensors: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  seconds: z.number().nonnegative(),
  warnings: z.array(z.string()),
  layerCount: z.number().int().nonnegative().optional(),
  /** Output dtype(s) written, as safetensors names. */
  dtype: z.string().optional(),
});
export type RunResult = z.infer<typeof RunResultSchema>;
