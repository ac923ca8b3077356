/**
 * Every setting of the recipes (one per stage) that a mergekit YAML cannot express, with the
 * reason: the warnings mergekitObject gives (Fisher, DARE/DELLA rescale_norm other than l1,
 * consensus 'count'), a chain's stages named.
 */
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { mergekitObject } from './mergekit-object.js';

export function recipeGaps(stages: readonly MergeRecipe[]): string[] {
  const last = stages.length - 1;
  return stages.flatMap((s, i) => {
    const where = stages.length > 1 && i < last ? `stage '${s.name ?? i + 1}': ` : '';
    return mergekitObject(s).warnings.map((w) => `${where}${w}`);
  });
}
