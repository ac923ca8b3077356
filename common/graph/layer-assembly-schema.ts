/**
 * The Layer assembly node (a mergekit `slices:` recipe, a frankenmerge): one row per output slice,
 * each naming its sources (an input node and a layer range) and, where a row blends several
 * sources, the parameters of the node's merge method for that row and for each source.
 */
import { z } from 'zod';
import { MethodIdSchema, ParamSpecMapSchema } from '../contract/recipe.js';

const layer = z.number().int().min(0);

export const SliceSourceDataSchema = z.strictObject({
  /** Id of the node wired into this node's `models` or `base` input that the layers come from ('' while none is chosen). */
  input: z.string(),
  /** [start, end): layers start … end − 1 of that model (mergekit's `layer_range`). */
  range: z.tuple([layer, layer]),
  /** This source's own parameters (mergekit's per-source `parameters`). */
  params: ParamSpecMapSchema,
});

export const SliceRowDataSchema = z.strictObject({
  sources: z.array(SliceSourceDataSchema),
  /** The slice's parameters (mergekit's per-slice `parameters`): over the node's, under each source's. */
  params: ParamSpecMapSchema,
});

export const LayerAssemblyNodeDataSchema = z.strictObject({
  kind: z.literal('layerAssembly'),
  /** The method every row runs on its sources (`passthrough` copies the one source of each row). */
  method: MethodIdSchema,
  /** Parameters for every row (mergekit's top-level `parameters`). */
  params: ParamSpecMapSchema,
  /** Output slices in order: the output's layers are the rows' layers, stacked. */
  rows: z.array(SliceRowDataSchema),
  /**
   * The node's name (a mergekit-multi stage name on import): when this assembly feeds a merge or
   * another assembly, the stage is exported under it. Absent: the node's id.
   */
  label: z.string().optional(),
  /** This assembly's own output dtype when it is an earlier stage of a chain; absent, the Output's dtype applies. */
  dtype: z.enum(['float32', 'float16', 'bfloat16']).optional(),
  /** An imported slices: stage's own `dtype` key as written (as a merge node's recipeDtype). */
  recipeDtype: z.string().optional(),
  /** This assembly's own seed (a stage's random_seed); absent, the Output's seed. */
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  /** This assembly's own tokenizer settings as an earlier stage of a chain (as a merge node's). */
  tokenizerSource: z.string().optional(),
  chatTemplate: z.string().optional(),
});

export type SliceSourceData = z.infer<typeof SliceSourceDataSchema>;
export type SliceRowData = z.infer<typeof SliceRowDataSchema>;
export type LayerAssemblyNodeData = z.infer<typeof LayerAssemblyNodeDataSchema>;
