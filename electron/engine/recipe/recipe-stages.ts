/**
 * Multi-document recipes (mergekit-multi): a stage's `name:` is a model reference for the stages
 * after it. These helpers say which references of a stage are earlier stages' outputs.
 */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { recipeModelKeys } from './model-reference.js';

/** Model keys of `recipes[index]` that name an earlier stage (to be resolved to that stage's output). */
export function earlierStageRefs(recipes: readonly MergeRecipe[], index: number): string[] {
  const names = new Set(recipes.slice(0, index).flatMap((r) => (r.name === undefined ? [] : [r.name])));
  return recipeModelKeys(recipes[index]).filter((k) => names.has(k));
}
