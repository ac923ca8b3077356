/** Resolves a recipe's model references and reads every input's headers (never tensor data). */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { openCheckpoint } from '../io/checkpoint.js';
import type { CheckpointInfo } from '../io/types.js';
import { applyLoraToCheckpoint } from '../lora/lora-checkpoint.js';
import { openLoraAdapter } from '../lora/open-adapter.js';
import { resolveModelRef } from '../recipe/model-ref.js';
import { recipeModelKeys, splitLoraRef } from '../recipe/model-reference.js';

/** Where `model+lora` inputs write their adapted tensors (an overlay file each); the caller removes it. */
export interface LoraWork {
  workDir: () => Promise<string>;
  signal?: AbortSignal;
}

export interface LoadedInputs {
  /** By model key as written in the recipe. */
  checkpoints: Map<string, CheckpointInfo>;
}

export async function loadInputs(
  recipe: MergeRecipe,
  recipeDir: string,
  modelsRoot?: string,
  modelPaths?: Readonly<Record<string, string>>,
  lora?: LoraWork,
): Promise<LoadedInputs> {
  const checkpoints = new Map<string, CheckpointInfo>();
  for (const key of recipeModelKeys(recipe)) {
    const ref = splitLoraRef(key);
    if (ref?.lora !== undefined) {
      // mergekit's `model+lora`: the base with the PEFT adapter applied, as a checkpoint view.
      const base = await openCheckpoint(resolveModelRef(ref.model, { modelsRoot, recipeDir }));
      const adapter = await openLoraAdapter(resolveModelRef(ref.lora, { modelsRoot, recipeDir }));
      if (!lora) throw new Error(`'${key}': no work folder for the LoRA overlay`);
      const applied = await applyLoraToCheckpoint(base, adapter, { workDir: await lora.workDir(), signal: lora.signal });
      checkpoints.set(key, applied.checkpoint);
      continue;
    }
    const given = modelPaths && Object.prototype.hasOwnProperty.call(modelPaths, key) ? modelPaths[key] : undefined;
    const path = given ?? resolveModelRef(key, { modelsRoot, recipeDir });
    checkpoints.set(key, await openCheckpoint(path));
  }
  return { checkpoints };
}
