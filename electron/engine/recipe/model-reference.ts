/**
 * Model references as written in recipes: mergekit's `model+lora` form, the key a model goes by in
 * a plan (the reference exactly as written), and references that look like typos.
 */
import type { MergeRecipe, ModelSpec } from '../../../common/recipe/types.js';
import { modelKeyOf } from '../../../common/recipe/model-ref.js';

export { modelKeyOf, splitLoraRef } from '../../../common/recipe/model-ref.js';

/**
 * Every model key a recipe uses, in first-use order: base, models, slice sources, and the
 * tokenizer source when it names a model (not 'base' or 'union').
 */
export function recipeModelKeys(recipe: MergeRecipe): string[] {
  const keys: string[] = [];
  const add = (k: string | undefined) => {
    if (k !== undefined && !keys.includes(k)) keys.push(k);
  };
  add(recipe.baseModel);
  for (const m of recipe.models ?? []) add(modelKeyOf(m));
  for (const s of recipe.slices ?? []) for (const src of s.sources) add(modelKeyOf(src));
  const tok = recipe.tokenizerSource;
  if (tok !== undefined && tok !== 'base' && tok !== 'union') add(tok);
  return keys;
}

const PATH_LIKE = /^(?:[/\\~.]|[A-Za-z]:[\\/])/;

/**
 * Why a reference is probably a typo, or undefined: hub ids (org/name) cannot hold whitespace, so
 * `Hastagaras/Jamet-8B-L3-MK1 -` most likely carries a stray character after the id.
 */
export function suspiciousRefReason(ref: string): string | undefined {
  if (ref !== ref.trim()) return 'has leading or trailing spaces';
  if (PATH_LIKE.test(ref) || !/\s/.test(ref)) return undefined;
  const first = ref.split(/\s+/)[0];
  return `contains spaces, which a Hugging Face id cannot: unless it is a local folder, did you mean '${first}'?`;
}

/** Each model entry (or slice source) with a Fisher file: its model key and the Fisher reference as written. */
export function recipeFisherRefs(recipe: MergeRecipe): { model: string; fisher: string }[] {
  const out: { model: string; fisher: string }[] = [];
  const add = (spec: Pick<ModelSpec, 'model' | 'lora' | 'fisher'>) => {
    const model = modelKeyOf(spec);
    if (spec.fisher !== undefined && !out.some((o) => o.model === model && o.fisher === spec.fisher)) out.push({ model, fisher: spec.fisher });
  };
  for (const m of recipe.models ?? []) add(m);
  for (const s of recipe.slices ?? []) for (const src of s.sources) add(src);
  return out;
}
