/** Resolves a recipe's model references and reads every input's headers (never tensor data). */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { openCheckpoint } from '../io/checkpoint.js';
import type { CheckpointInfo } from '../io/types.js';
import { openFisherFile } from '../fisher/fisher-file.js';
import { applyLoraToCheckpoint } from '../lora/lora-checkpoint.js';
import { openLoraAdapter, type LoraAdapter } from '../lora/open-adapter.js';
import { resolveModelRef } from '../recipe/model-ref.js';
import { recipeFisherRefs, recipeModelKeys, splitLoraRef } from '../recipe/model-reference.js';
import { resolveFisherRef } from '../recipe/fisher-ref.js';

/** Where `model+lora` inputs write their adapted tensors (an overlay file each); the caller removes it. */
export interface LoraWork {
  workDir: () => Promise<string>;
  signal?: AbortSignal;
}

/** A `model+lora` input's two parts as read from disk: what provenance records (not the overlay). */
export interface LoraParts {
  base: CheckpointInfo;
  adapter: LoraAdapter;
  /** The adapter as given: its folder or its .safetensors file (absolute). */
  adapterPath: string;
}

export interface LoadedInputs {
  /** By model key as written in the recipe; Fisher files (ModelSpec.fisher) by their reference as written. */
  checkpoints: Map<string, CheckpointInfo>;
  /** The parts of each `model+lora` key, by that key. */
  loraParts: Map<string, LoraParts>;
}

export async function loadInputs(
  recipe: MergeRecipe,
  recipeDir: string,
  modelsRoot?: string,
  modelPaths?: Readonly<Record<string, string>>,
  lora?: LoraWork,
  standIns?: ReadonlyMap<string, CheckpointInfo>,
): Promise<LoadedInputs> {
  const checkpoints = new Map<string, CheckpointInfo>();
  const loraParts = new Map<string, LoraParts>();
  // A path given for a reference (a reopened output's inputs found elsewhere) wins over resolving it.
  const pathOf = (ref: string): string =>
    (modelPaths && Object.prototype.hasOwnProperty.call(modelPaths, ref) ? modelPaths[ref] : undefined) ?? resolveModelRef(ref, { modelsRoot, recipeDir });
  for (const key of recipeModelKeys(recipe)) {
    const standIn = standIns?.get(key);
    if (standIn) {
      // A pre-flight's stand-in for an earlier stage's output, not written yet.
      checkpoints.set(key, standIn);
      continue;
    }
    const ref = splitLoraRef(key);
    if (ref?.lora !== undefined) {
      // mergekit's `model+lora`: the base with the PEFT adapter applied, as a checkpoint view.
      const base = await openCheckpoint(pathOf(ref.model));
      const adapterPath = pathOf(ref.lora);
      const adapter = await openLoraAdapter(adapterPath);
      if (!lora) throw new Error(`'${key}': no work folder for the LoRA overlay`);
      const applied = await applyLoraToCheckpoint(base, adapter, { workDir: await lora.workDir(), signal: lora.signal });
      checkpoints.set(key, applied.checkpoint);
      loraParts.set(key, { base, adapter, adapterPath });
      continue;
    }
    checkpoints.set(key, await openCheckpoint(pathOf(key)));
  }
  // Fisher files: each checked against its model (every float tensor, same shape), naming file and tensor.
  for (const { model, fisher } of recipe.mergeMethod === 'fisher' ? recipeFisherRefs(recipe) : []) {
    const given = modelPaths && Object.prototype.hasOwnProperty.call(modelPaths, fisher) ? modelPaths[fisher] : undefined;
    const path = given ?? resolveFisherRef(fisher, { modelsRoot, recipeDir });
    const opened = await openFisherFile(path, checkpoints.get(model)!);
    if (!checkpoints.has(fisher)) checkpoints.set(fisher, opened);
  }
  return { checkpoints, loraParts };
}
