/**
 * The recipe's inputs as slices of layer stacks, mergekit's way: the `models:` form is one slice
 * spanning every model's whole stack; the base model is flagged among each slice's sources (added
 * to the `models:` form when not listed, as mergekit does). Checks the method's input rules.
 */
import type { MethodDescriptor, ParamSpecMap } from '../../../common/methods/types.js';
import { donorOnlyBase, mergedBase } from '../../../common/recipe/base-model.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { modelKeyOf } from '../recipe/model-reference.js';
import type { InputModel } from './input-model.js';
import type { ProblemList } from './problem-list.js';
import { baseNotAmongInputs } from './refusal-messages.js';

export interface PlanSource {
  key: string;
  model: InputModel;
  /** [start, end): layers of the model's stack. */
  range: [number, number];
  /** The model entry's (or slice source's) own parameters. */
  parameters?: ParamSpecMap;
  isBase: boolean;
  /** Fisher merging: the key of this source's Fisher file in the checkpoints (its reference as written). */
  fisher?: string;
}

export interface PlanSlice {
  /** 0-based, in recipe order. */
  index: number;
  sources: PlanSource[];
  parameters?: ParamSpecMap;
  /** Layers in the slice (every source has this many). */
  length: number;
}

export interface SlicePlan {
  slices: PlanSlice[];
  /** Key of the base model, when the method uses one. */
  base?: string;
  /**
   * A base_model given to a method that merges no base (linear, passthrough, ...): mergekit still
   * takes the output's config.json and tokenizer (`tokenizer_source: base`) from it, so it is the
   * donor, never merged.
   */
  donorOnly?: string;
}

interface WrittenSource {
  key: string;
  range?: [number, number];
  parameters?: ParamSpecMap;
  fisher?: string;
}

export function planSlices(
  recipe: MergeRecipe,
  method: MethodDescriptor,
  models: ReadonlyMap<string, InputModel>,
  problems: ProblemList,
  warnings: string[],
): SlicePlan {
  const name = method.mergekitName;
  if (method.base === 'required' && recipe.baseModel === undefined) {
    problems.add({ message: `${name} needs a base model: set base_model`, param: 'base_model' });
  }
  const donorOnly = donorOnlyBase(recipe);
  if (donorOnly !== undefined) {
    warnings.push(`${name} does not merge a base model: base_model '${donorOnly}' only gives the output its config.json and tokenizer files; its weights are not merged`);
  }
  const base = mergedBase(recipe);
  const same = (a: string, b: string) => a === b || models.get(a)?.checkpoint.path === models.get(b)?.checkpoint.path;

  const written: WrittenSource[][] = recipe.models
    ? [recipe.models.map((m) => ({ key: modelKeyOf(m), parameters: m.parameters, fisher: m.fisher }))]
    : (recipe.slices ?? []).map((s) => s.sources.map((src) => ({ key: modelKeyOf(src), range: src.layerRange, parameters: src.parameters, fisher: src.fisher })));

  const slices = written.map((sources, index): PlanSlice => {
    const plan = sources.map((s) => toSource(s, base !== undefined && same(s.key, base), models));
    flagOneBase(plan);
    if (base !== undefined) {
      const listed = plan.find((s) => s.isBase);
      if (listed) noteListedBase(method, listed.key, base, warnings);
      else if (method.baseAmongInputs) {
        problems.add({ message: baseNotAmongInputs(name, base, where(recipe, index)), model: base, param: 'base_model' });
      } else if (recipe.models) plan.push(toSource({ key: base }, true, models));
      else problems.add({ message: `the base model '${base}' must be one of the sources${where(recipe, index)}`, model: base, param: 'base_model' });
    }
    const recipeSlice = recipe.slices?.[index];
    const first = plan[0];
    return { index, sources: plan, parameters: recipeSlice?.parameters, length: first ? first.range[1] - first.range[0] : 0 };
  });

  for (const slice of slices) {
    checkModelCount(recipe, method, slice, problems);
    checkRanges(recipe, slice, problems);
  }
  return { slices, base, ...(donorOnly !== undefined ? { donorOnly } : {}) };
}

function toSource(s: WrittenSource, isBase: boolean, models: ReadonlyMap<string, InputModel>): PlanSource {
  const model = models.get(s.key)!;
  return { key: s.key, model, range: s.range ?? [0, model.layerCount], parameters: s.parameters, isBase, ...(s.fisher !== undefined ? { fisher: s.fisher } : {}) };
}

/** Only the first source matching the base is the base; a second listing stays a model. */
function flagOneBase(sources: PlanSource[]): void {
  let seen = false;
  for (const s of sources) {
    if (s.isBase && seen) s.isBase = false;
    if (s.isBase) seen = true;
  }
}

function noteListedBase(method: MethodDescriptor, listed: string, base: string, warnings: string[]): void {
  if (listed !== base) warnings.push(`'${listed}' and the base model '${base}' are the same checkpoint: it is used as the base`);
  // mergekit drops a listed base silently for the task-vector family; model_stock's paper makes it a choice worth a word.
  if (method.id === 'model_stock') warnings.push(`model_stock: the base model '${base}' is also listed among the models; it is used as the base only`);
}

function where(recipe: MergeRecipe, index: number): string {
  return recipe.slices && recipe.slices.length > 1 ? ` (slice ${index + 1})` : '';
}

function checkModelCount(recipe: MergeRecipe, method: MethodDescriptor, slice: PlanSlice, problems: ProblemList): void {
  const n = slice.sources.filter((s) => !s.isBase).length;
  const at = where(recipe, slice.index);
  // Already reported: the base is not among the inputs, so the count would only repeat it.
  if (method.baseAmongInputs && n === slice.sources.length) return;
  if (method.family === 'assembly' && slice.sources.length !== 1) {
    problems.add({ message: `${method.mergekitName} takes one model per tensor, got ${slice.sources.length}${at}` });
    return;
  }
  const besides = method.base === 'none' ? '' : ' besides the base';
  if (n < method.minModels) {
    problems.add({ message: `${method.mergekitName} needs at least ${method.minModels} model${method.minModels > 1 ? 's' : ''}${besides}, got ${n}${at}` });
  }
  if (method.maxModels !== undefined && n > method.maxModels) {
    problems.add({ message: `${method.mergekitName} takes at most ${method.maxModels} model${method.maxModels > 1 ? 's' : ''}${besides}, got ${n}${at}` });
  }
}

function checkRanges(recipe: MergeRecipe, slice: PlanSlice, problems: ProblemList): void {
  const at = where(recipe, slice.index);
  for (const s of slice.sources) {
    if (s.range[1] > s.model.layerCount) {
      problems.add({
        message: `layer_range [${s.range[0]}, ${s.range[1]}] of '${s.key}' goes beyond its ${s.model.layerCount} layers${at}`,
        model: s.key,
      });
    }
  }
  const lengths = slice.sources.map((s) => s.range[1] - s.range[0]);
  if (lengths.some((l) => l !== lengths[0])) {
    const detail = slice.sources.map((s, i) => `'${s.key}' ${lengths[i]}`).join(', ');
    const what = recipe.models ? 'the models have different numbers of layers' : 'the sources of a slice must have the same number of layers';
    problems.add({ message: `${what}: ${detail}${at}` });
  }
}
