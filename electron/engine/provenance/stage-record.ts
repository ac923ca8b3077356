/**
 * What the final output of a chain records of each earlier stage (`crucible.stages`): its name,
 * recipe, seed and inputs (name, size and header hash of each file), read back from the stage's
 * own output before that output is removed. So `crucible verify` can re-run the whole chain and
 * `crucible recipe extract` can find every input again.
 */
import { z } from 'zod';
import { MergeRecipeSchema } from '../../../common/contract/recipe.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { openCheckpoint } from '../io/checkpoint.js';

/**
 * What an input is, when not a checkpoint: 'lora', a PEFT adapter (a `model+lora` input records its
 * base and its adapter); 'fisher', a Fisher file (a model's `fisher:`). Outputs written before
 * Fisher files had a kind recorded them without one (found again as single .safetensors files).
 */
export const RECORDED_INPUT_KINDS = ['lora', 'fisher'] as const;
export type RecordedInputKind = (typeof RECORDED_INPUT_KINDS)[number];

export const RecordedInputsSchema = z.array(
  z.object({
    model: z.string(),
    kind: z.enum(RECORDED_INPUT_KINDS).optional(),
    path: z.string(),
    files: z.array(z.object({ name: z.string(), size: z.number(), headerSha256: z.string(), sha256: z.string().optional() })),
  }),
);
export type RecordedInput = z.infer<typeof RecordedInputsSchema>[number];

export const StageRecordSchema = z.object({
  name: z.string(),
  recipe: MergeRecipeSchema,
  seed: z.number().int().min(0).max(0xffffffff),
  inputs: RecordedInputsSchema,
});
export interface StageRecord {
  name: string;
  recipe: MergeRecipe;
  seed: number;
  inputs: RecordedInput[];
}
export const StageRecordsSchema = z.array(StageRecordSchema);

/** A stage output's own provenance as a record (undefined when it has none: not written by Crucible). */
export async function readStageRecord(name: string, out: string): Promise<StageRecord | undefined> {
  let meta: Record<string, string>;
  try {
    meta = (await openCheckpoint(out)).files[0]?.metadata ?? {};
  } catch {
    return undefined;
  }
  try {
    const recipe = MergeRecipeSchema.safeParse(JSON.parse(meta['crucible.recipe'] ?? 'null'));
    const inputs = RecordedInputsSchema.safeParse(JSON.parse(meta['crucible.inputs'] ?? 'null'));
    const seed = Number(meta['crucible.seed'] ?? 0);
    if (!recipe.success || !inputs.success || !Number.isInteger(seed)) return undefined;
    return { name, recipe: recipe.data as MergeRecipe, seed, inputs: inputs.data };
  } catch {
    return undefined;
  }
}
