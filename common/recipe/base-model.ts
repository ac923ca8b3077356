/**
 * Which role a recipe's base_model plays. A method that merges a base (task arithmetic, TIES,
 * SLERP...) merges it; one that merges none (linear, passthrough, Karcher, Fisher) still takes it
 * as mergekit does: the donor of the output's config.json and tokenizer files (`tokenizer_source:
 * base`), its weights never merged.
 */
import { getMethod } from '../methods/registry.js';
import type { MergeRecipe } from './types.js';

/** Whether the method merges its base_model (else a base only donates config and tokenizer). */
export function mergesBase(method: string): boolean {
  return getMethod(method)?.base !== 'none';
}

/** The base_model the method merges, if any. */
export function mergedBase(recipe: Pick<MergeRecipe, 'mergeMethod' | 'baseModel'>): string | undefined {
  return mergesBase(recipe.mergeMethod) ? recipe.baseModel : undefined;
}

/** A base_model named for a method that merges none: the donor of config and tokenizer only. */
export function donorOnlyBase(recipe: Pick<MergeRecipe, 'mergeMethod' | 'baseModel'>): string | undefined {
  return mergesBase(recipe.mergeMethod) ? undefined : recipe.baseModel;
}
