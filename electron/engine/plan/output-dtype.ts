/** The recipe's output dtype (spec §0): out_dtype, else dtype; undefined keeps each tensor's own. */
import { parseRecipeDtype, type FloatDtype } from '../io/dtype.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';

export type RecipeDtype = { ok: true; dtype?: FloatDtype } | { ok: false; message: string };

export function recipeOutputDtype(recipe: MergeRecipe): RecipeDtype {
  for (const [key, value] of [
    ['out_dtype', recipe.outDtype],
    ['dtype', recipe.dtype],
  ] as const) {
    if (value === undefined) continue;
    const dtype = parseRecipeDtype(value);
    if (!dtype) return { ok: false, message: `${key} '${value}' is not a dtype Crucible writes (float32, float16, bfloat16, float64)` };
    return { ok: true, dtype };
  }
  return { ok: true };
}
