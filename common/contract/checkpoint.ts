/** What the renderer learns about a checkpoint: header metadata only, never tensor data. */
import { z } from 'zod';

export const TensorGroupSchema = z.enum(['attention', 'mlp', 'norm', 'embedding', 'other']);
export type TensorGroup = z.infer<typeof TensorGroupSchema>;

export const TensorMetaSchema = z.strictObject({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.string(),
  /** Index in the layer stack, or null outside it (embeddings, final norm, lm_head). */
  layer: z.number().int().nonnegative().nullable(),
  group: TensorGroupSchema,
});
export type TensorMeta = z.infer<typeof TensorMetaSchema>;

export const CheckpointSummarySchema = z.strictObject({
  path: z.string(),
  folder: z.string(),
  architecture: z.string().nullable(),
  layerCount: z.number().int().nonnegative().nullable(),
  parameterCount: z.number().int().nonnegative(),
  /** The dtype holding most parameters. */
  dtype: z.string(),
  fileCount: z.number().int().nonnegative(),
  totalBytes: z.number().nonnegative(),
  tensors: z.array(TensorMetaSchema),
  /** Present when Crucible wrote this checkpoint: it recorded its graph, or only its recipe. */
  crucibleOutput: z.enum(['graph', 'recipe']).optional(),
});
export type CheckpointSummary = z.infer<typeof CheckpointSummarySchema>;
