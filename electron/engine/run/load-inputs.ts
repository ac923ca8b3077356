/** Resolves a recipe's model references and reads every input's headers (never tensor data). */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { openCheckpoint } from '../io/checkpoint.js';
import type { CheckpointInfo } from '../io/types.js';
import { resolveModelRef } from '../recipe/model-ref.js';

/** Every model reference of a recipe, in first-use order (base first). */
export function modelRefsOf(recipe: MergeRecipe): string[] {
  const refs: string[] = [];
  const add = (r: string | undefined) => {
    if (r !== undefined && !refs.includes(r)) refs.push(r);
  };
  add(recipe.baseModel);
  for (const m of recipe.models ?? []) add(m.model);
  for (const s of recipe.slices ?? []) for (const src of s.sources) add(src.model);
  return refs;
}

export interface LoadedInputs {
  /** By model key as written in the recipe. */
  checkpoints: Map<string, CheckpointInfo>;
}

export async function loadInputs(recipe: MergeRecipe, recipeDir: string, modelsRoot?: string): Promise<LoadedInputs> {
  const checkpoints = new Map<string, CheckpointInfo>();
  for (const ref of modelRefsOf(recipe)) {
    const path = resolveModelRef(ref, { modelsRoot, recipeDir });
    checkpoints.set(ref, await openCheckpoint(path));
  }
  return { checkpoints };
}
