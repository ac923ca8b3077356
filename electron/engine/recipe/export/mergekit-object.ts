/**
 * MergeRecipe → the plain object of a mergekit YAML document, keys in the order mergekit's own
 * examples write them. The inverse of the importer (recipe-from-document.ts): importing the
 * result gives the recipe back, with one difference the importer makes on purpose (below).
 */
import { getMethod } from '../../../../common/methods/registry.js';
import type { ParamSpecMap } from '../../../../common/methods/types.js';
import type { MergeRecipe, ModelSpec, SliceSource, SliceSpec } from '../../../../common/recipe/types.js';
import { modelKeyOf } from '../model-reference.js';

export type MergekitValue = string | number | boolean | MergekitValue[] | MergekitObject;
export interface MergekitObject {
  [key: string]: MergekitValue;
}

export interface MergekitDocument {
  value: MergekitObject;
  /** What mergekit will not do as Crucible does (the file is still written). */
  warnings: string[];
}

/**
 * The recipe as the importer will read the exported text: for DARE and DELLA an absent
 * `rescale_norm` means Crucible's default ('inverse') in a graph but mergekit's rule ('l1') in a
 * YAML file, so the export writes 'inverse' explicitly and leaves 'l1' implicit.
 */
export function recipeAsExported(recipe: MergeRecipe): MergeRecipe {
  const method = getMethod(recipe.mergeMethod);
  if (!method?.random || recipe.parameters?.rescale_norm !== undefined) return recipe;
  return { ...recipe, parameters: { ...recipe.parameters, rescale_norm: 'inverse' } };
}

function params(p: ParamSpecMap | undefined): MergekitObject | undefined {
  if (!p || Object.keys(p).length === 0) return undefined;
  const out: MergekitObject = {};
  for (const [name, spec] of Object.entries(p)) {
    out[name] = Array.isArray(spec) ? spec.map((v) => (typeof v === 'number' ? v : { ...(v.filter === undefined ? {} : { filter: v.filter }), value: v.value })) : spec;
  }
  return out;
}

function withParams(entry: MergekitObject, p: ParamSpecMap | undefined): MergekitObject {
  const ps = params(p);
  return ps ? { ...entry, parameters: ps } : entry;
}

/** Crucible's `fisher:` key (Fisher merging), written so Crucible reads the file back; mergekit has none. */
function withFisher(entry: MergekitObject, fisher: string | undefined): MergekitObject {
  return fisher === undefined ? entry : { ...entry, fisher };
}

function modelEntry(m: ModelSpec): MergekitObject {
  return withParams(withFisher({ model: modelKeyOf(m) }, m.fisher), m.parameters);
}

function sliceEntry(s: SliceSpec): MergekitObject {
  const sources = s.sources.map((src: SliceSource) => withParams(withFisher({ model: modelKeyOf(src), layer_range: [src.layerRange[0], src.layerRange[1]] }, src.fisher), src.parameters));
  return withParams({ sources }, s.parameters);
}

/**
 * What a mergekit YAML document cannot express, each with the reason: the file is still written in
 * Crucible's superset (Crucible runs it), and these are listed so the user knows mergekit will not.
 */
export function mergekitGaps(recipe: MergeRecipe): string[] {
  const gaps: string[] = [];
  const entries = [...(recipe.models ?? []), ...(recipe.slices ?? []).flatMap((s) => s.sources)];
  if (recipe.mergeMethod === 'fisher') {
    gaps.push(
      "not expressible in mergekit: Fisher merging (merge_method 'fisher') is Crucible's (Matena & Raffel, spec §4); mergekit has no Fisher merging and refuses the method",
    );
  }
  if (entries.some((e) => e.fisher !== undefined)) {
    gaps.push("not expressible in mergekit: the models' Fisher files ('fisher:' entries) are Crucible's; mergekit has no Fisher inputs and ignores or refuses the key");
  }
  const consensus = recipe.parameters?.consensus;
  if (consensus !== undefined && consensus !== 'sum') {
    gaps.push(
      `not expressible in mergekit: consensus '${String(consensus)}' (sign elected by the majority of models) is Crucible's; mergekit's ${recipe.mergeMethod} always elects the sign of the total mass ('sum'), so its result will differ`,
    );
  }
  return gaps;
}

export function mergekitObject(recipe: MergeRecipe): MergekitDocument {
  const warnings: string[] = mergekitGaps(recipe);
  const method = getMethod(recipe.mergeMethod);
  const value: MergekitObject = {};
  if (recipe.name !== undefined) value.name = recipe.name;
  value.merge_method = method?.mergekitName ?? recipe.mergeMethod;
  if (recipe.baseModel !== undefined) value.base_model = recipe.baseModel;
  if (recipe.models) value.models = recipe.models.map(modelEntry);
  if (recipe.slices) value.slices = recipe.slices.map(sliceEntry);

  let global = recipe.parameters;
  if (method?.random) {
    const rule = global?.rescale_norm;
    if (rule === 'l1') {
      const { rescale_norm: _implicit, ...rest } = global ?? {};
      void _implicit;
      global = rest;
    } else {
      global = { ...global, rescale_norm: rule ?? 'inverse' };
      warnings.push(
        `${method.label}: rescale_norm '${String(rule ?? 'inverse')}' is Crucible's; mergekit ignores it and always rescales the survivors by the L1 ratio, so its result will differ`,
      );
    }
  }
  const ps = params(global);
  if (ps) value.parameters = ps;
  if (recipe.dtype !== undefined) value.dtype = recipe.dtype;
  if (recipe.outDtype !== undefined) value.out_dtype = recipe.outDtype;
  if (recipe.tokenizerSource !== undefined) value.tokenizer_source = recipe.tokenizerSource;
  if (recipe.chatTemplate !== undefined) value.chat_template = recipe.chatTemplate;
  // No seed key: mergekit has none (its seed is the --random-seed flag); the text gets a comment (seed-comment.ts).
  return { value, warnings };
}
