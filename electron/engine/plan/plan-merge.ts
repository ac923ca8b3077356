/**
 * The planner: a recipe plus its inputs' headers → one task per output tensor with its sources and
 * complete scalar parameters (MergePlan). Every check happens here, before any tensor is read;
 * problems are gathered and thrown together as a ValidationError.
 */
import { getMethod } from '../../../common/methods/registry.js';
import { donorOnlyBase, mergedBase } from '../../../common/recipe/base-model.js';
import { architectureMismatch } from '../../../common/recipe/architecture-match.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import type { CheckpointInfo } from '../io/types.js';
import { getKernel, hasKernel } from '../methods/index.js';
import { modelKeyOf, recipeFisherRefs } from '../recipe/model-reference.js';
import { inputModel, type InputModel } from './input-model.js';
import { recipeOutputDtype } from './output-dtype.js';
import { outputTensorSpecs } from './output-tensors.js';
import { PlanNotes } from './plan-notes.js';
import { planSlices } from './plan-slices.js';
import { planTensor } from './plan-tensor.js';
import { ProblemList } from './problem-list.js';
import { stackLayers } from './stack-layers.js';
import { HEAD } from './tied-embeddings.js';
import type { MergePlan, TensorPlan } from './types.js';
import { ValidationError } from './validation-error.js';
import { unifyVocabulary } from './vocab-size.js';
import { UNION_TOKENIZER_REFUSED } from './refusal-messages.js';

export interface PlanOptions {
  /** Merge inputs of different architectures anyway (mergekit's --allow-crimes). */
  allowCrimes?: boolean;
}

/**
 * `checkpoints`: by model key as written in the recipe (`model+lora` for adapters), see
 * recipeModelKeys. Problems name the model's path besides its key.
 */
export function planMerge(recipe: MergeRecipe, checkpoints: ReadonlyMap<string, CheckpointInfo>, opts: PlanOptions = {}): MergePlan {
  try {
    return planChecked(recipe, checkpoints, opts);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const located = err.problems.map((p) => {
      const path = p.model === undefined ? undefined : checkpoints.get(p.model)?.path;
      return path === undefined || p.file !== undefined ? p : { ...p, file: path };
    });
    throw new ValidationError(located);
  }
}

function planChecked(recipe: MergeRecipe, checkpoints: ReadonlyMap<string, CheckpointInfo>, opts: PlanOptions): MergePlan {
  const method = getMethod(recipe.mergeMethod);
  if (!method) throw new ValidationError([{ message: `unknown merge method '${recipe.mergeMethod}'` }]);
  const problems = new ProblemList();
  const warnings: string[] = [];
  const dtype = recipeOutputDtype(recipe);
  if (!dtype.ok) problems.add({ message: dtype.message, param: 'dtype' });
  checkRecipeSettings(recipe, problems);
  if (method.id !== 'fisher' && recipeFisherRefs(recipe).length > 0) {
    warnings.push(`${method.mergekitName} does not read Fisher files: the models' 'fisher' entries are ignored (only Fisher merging uses them)`);
  }

  const keys = mergeInputKeys(recipe);
  const donorOnlyKey = donorOnlyBase(recipe);
  const unopened = [...keys, ...(donorOnlyKey === undefined ? [] : [donorOnlyKey])].filter((k, i, all) => !checkpoints.has(k) && all.indexOf(k) === i);
  for (const k of unopened) problems.add({ message: `model '${k}' was not opened: no checkpoint was given for it`, model: k });
  if (unopened.length > 0) problems.throwIfAny();
  const mismatch = opts.allowCrimes
    ? null
    : architectureMismatch(keys.map((k) => ({ name: `'${k}'`, architecture: checkpoints.get(k)!.architecture, tensorNames: [...checkpoints.get(k)!.tensors.keys()] })));
  if (mismatch) throw new ValidationError([{ message: `${mismatch} Pass --allow-crimes to merge them anyway.` }]);
  const headNeeded = keys.some((k) => checkpoints.get(k)!.tensors.has(HEAD));
  const models = new Map<string, InputModel>(keys.map((k) => [k, inputModel(k, checkpoints.get(k)!, headNeeded)]));

  const { slices, base, donorOnly } = planSlices(recipe, method, models, problems, warnings);
  problems.throwIfAny();
  const layers = stackLayers(slices);
  const donor = slices[0].sources.find((s) => s.isBase) ?? slices[0].sources[0];
  const specs = outputTensorSpecs(slices, layers, donor);
  // config.json and tokenizer files: from the base model, merged or only named (donorOnly), else the first model.
  const donorKey = donorOnly ?? donor.key;

  const notes = new PlanNotes();
  const ctx = {
    recipe,
    method,
    kernel: hasKernel(method.id) ? getKernel(method.id) : undefined,
    usesBase: base !== undefined,
    recipeDtype: dtype.ok ? dtype.dtype : undefined,
    problems,
    notes,
    fisherFiles: checkpoints,
  };
  const tensors = specs.map((spec) => planTensor(spec, ctx)).filter((t): t is TensorPlan => t !== undefined);
  const tokenizerSource = tokenizerSourceKey(recipe, base ?? donorOnly, checkpoints, problems);
  problems.throwIfAny();

  warnings.push(...notes.warnings());
  const vocabSize = unifyVocabulary(tensors, checkpoints, warnings);
  const planned = [...new Set([...keys, ...(donorOnly === undefined ? [] : [donorOnly]), ...(tokenizerSource === undefined ? [] : [tokenizerSource])])];
  const fisherKeys = method.id === 'fisher' ? [...new Set(recipeFisherRefs(recipe).map((f) => f.fisher))].filter((k) => !planned.includes(k)) : [];
  return {
    models: [
      ...planned.map((key) => ({ key, path: checkpoints.get(key)!.path })),
      ...fisherKeys.map((key) => ({ key, path: checkpoints.get(key)!.path, role: 'fisher' as const })),
    ],
    tensors,
    donor: donorKey,
    layerCount: layers.length > 0 ? layers.length : undefined,
    vocabSize,
    seed: recipe.seed ?? 0,
    warnings,
    ...(tokenizerSource !== undefined ? { tokenizerSource } : {}),
    ...(recipe.chatTemplate !== undefined ? { chatTemplate: recipe.chatTemplate } : {}),
    ...(dtype.ok && dtype.dtype ? { outDtype: dtype.dtype } : {}),
    ...tiedHead(keys, checkpoints, tensors),
  };
}

/** The models merged (base, models, slice sources), in first-use order. */
function mergeInputKeys(recipe: MergeRecipe): string[] {
  const keys: string[] = [];
  const add = (k: string) => {
    if (!keys.includes(k)) keys.push(k);
  };
  const base = mergedBase(recipe);
  if (base !== undefined) add(base);
  for (const m of recipe.models ?? []) add(modelKeyOf(m));
  for (const s of recipe.slices ?? []) for (const src of s.sources) add(modelKeyOf(src));
  return keys;
}

function checkRecipeSettings(recipe: MergeRecipe, problems: ProblemList): void {
  if (recipe.seed !== undefined && !(Number.isInteger(recipe.seed) && recipe.seed >= 0 && recipe.seed <= 0xffffffff)) {
    problems.add({ message: `the seed must be a whole number from 0 to 4294967295, got ${recipe.seed}`, param: 'seed' });
  }
  if (recipe.tokenizerSource === 'union') {
    problems.add({
      message: UNION_TOKENIZER_REFUSED,
      param: 'tokenizer_source',
    });
  }
}

function tokenizerSourceKey(
  recipe: MergeRecipe,
  base: string | undefined,
  checkpoints: ReadonlyMap<string, CheckpointInfo>,
  problems: ProblemList,
): string | undefined {
  const source = recipe.tokenizerSource;
  if (source === undefined || source === 'union') return undefined;
  if (source === 'base') {
    if (base === undefined) problems.add({ message: "tokenizer_source is 'base' but the merge has no base model", param: 'tokenizer_source' });
    return base;
  }
  if (!checkpoints.has(source)) {
    problems.add({ message: `tokenizer source '${source}' was not opened: no checkpoint was given for it`, model: source, param: 'tokenizer_source' });
  }
  return source;
}

function tiedHead(keys: string[], checkpoints: ReadonlyMap<string, CheckpointInfo>, tensors: TensorPlan[]): { tieWordEmbeddings?: boolean } {
  const anyTies = keys.some((k) => {
    const ck = checkpoints.get(k)!;
    return !ck.tensors.has(HEAD) && ck.config?.tie_word_embeddings === true;
  });
  return anyTies ? { tieWordEmbeddings: !tensors.some((t) => t.name === HEAD) } : {};
}
