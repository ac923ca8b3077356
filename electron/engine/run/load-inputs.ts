/** Resolves a recipe's model references and reads every input's headers (never tensor data). */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { openCheckpoint } from '../io/checkpoint.js';
import type { CheckpointInfo } from '../io/types.js';
import { InputError } from '../io/types.js';
import { resolveModelRef } from '../recipe/model-ref.js';
import { recipeModelKeys, splitLoraRef } from '../recipe/model-reference.js';

export interface LoadedInputs {
  /** By model key as written in the recipe. */
  checkpoints: Map<string, CheckpointInfo>;
}

export async function loadInputs(
  recipe: MergeRecipe,
  recipeDir: string,
  modelsRoot?: string,
  modelPaths?: Readonly<Record<string, string>>,
): Promise<LoadedInputs> {
  const checkpoints = new Map<string, CheckpointInfo>();
  for (const key of recipeModelKeys(recipe)) {
    const ref = splitLoraRef(key);
    if (ref?.lora !== undefined) {
      throw new InputError(`'${key}': LoRA adapters as inputs (model+lora) are not supported yet`);
    }
    const given = modelPaths && Object.prototype.hasOwnProperty.call(modelPaths, key) ? modelPaths[key] : undefined;
    const path = given ?? resolveModelRef(key, { modelsRoot, recipeDir });
    checkpoints.set(key, await openCheckpoint(path));
  }
  return { checkpoints };
}
