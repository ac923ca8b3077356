/** Zod schema of MergeRecipe (common/recipe/types.ts): what one merge node compiles to. */
import { z } from 'zod';
import type { MergeRecipe } from '../recipe/types.js';
import type { ParamSpec } from '../methods/types.js';
import { METHODS } from '../methods/registry.js';

const methodIds = METHODS.map((m) => m.id) as [MergeRecipe['mergeMethod'], ...MergeRecipe['mergeMethod'][]];
export const MethodIdSchema = z.enum(methodIds);

const gradientValue = z.union([z.number(), z.array(z.number()).min(1)]);
export const FilteredValueSchema = z.strictObject({
  filter: z.string().optional(),
  value: z.union([gradientValue, z.boolean(), z.string()]),
});
export const ParamSpecSchema: z.ZodType<ParamSpec> = z.union([
  z.number(),
  z.boolean(),
  z.string(),
  z.array(z.number()).min(1),
  z.array(FilteredValueSchema).min(1),
]);
export const ParamSpecMapSchema = z.record(z.string(), ParamSpecSchema);

const modelSpec = z.strictObject({
  model: z.string().min(1),
  lora: z.string().min(1).optional(),
  fisher: z.string().min(1).optional(),
  parameters: ParamSpecMapSchema.optional(),
});
const sliceSource = z.strictObject({
  model: z.string().min(1),
  lora: z.string().min(1).optional(),
  fisher: z.string().min(1).optional(),
  layerRange: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  parameters: ParamSpecMapSchema.optional(),
});
const sliceSpec = z.strictObject({ sources: z.array(sliceSource).min(1), parameters: ParamSpecMapSchema.optional() });

export const MergeRecipeSchema = z.strictObject({
  mergeMethod: MethodIdSchema,
  baseModel: z.string().min(1).optional(),
  models: z.array(modelSpec).optional(),
  slices: z.array(sliceSpec).optional(),
  parameters: ParamSpecMapSchema.optional(),
  dtype: z.string().optional(),
  outDtype: z.string().optional(),
  tokenizerSource: z.string().optional(),
  chatTemplate: z.string().optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  name: z.string().optional(),
});

// Compile-time proof that the schema and the hand-written interface describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const recipeMatches: Same<z.infer<typeof MergeRecipeSchema>, MergeRecipe> = true;
void recipeMatches;
