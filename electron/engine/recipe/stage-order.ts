/**
 * The stages of a multi-document recipe, as mergekit-multi runs them: a document's `name:` is a
 * model reference for the other documents (before or after it in the file); the unnamed document
 * is the final merge (else the one named stage no other stage uses). Stages run so that each
 * comes after the stages it uses; stages the final merge does not need are left out.
 */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { recipeModelKeys } from './model-reference.js';
import { nearestName } from './nearest-name.js';
import { RecipeError } from './recipe-error.js';

export interface StagePlan {
  /** Indices into the recipes, in run order; the last is the final merge. */
  order: number[];
  final: number;
  /** Named stages the final merge does not use (not run). */
  unused: number[];
}

function describe(recipes: readonly MergeRecipe[], i: number): string {
  return recipes[i].name === undefined ? `document ${i + 1} (unnamed)` : `stage '${recipes[i].name}'`;
}

/** Names each stage uses, by stage index. */
export function stageDependencies(recipes: readonly MergeRecipe[]): number[][] {
  const byName = new Map<string, number>();
  recipes.forEach((r, i) => {
    if (r.name !== undefined) byName.set(r.name, i);
  });
  return recipes.map((r) => recipeModelKeys(r).flatMap((k) => (byName.has(k) ? [byName.get(k)!] : [])));
}

export function planStages(recipes: readonly MergeRecipe[], file: string): StagePlan {
  if (recipes.length === 0) throw new RecipeError('the file holds no recipe', file);
  const seen = new Map<string, number>();
  recipes.forEach((r, i) => {
    if (r.name === undefined) return;
    if (seen.has(r.name)) throw new RecipeError(`documents ${seen.get(r.name)! + 1} and ${i + 1} are both named '${r.name}'`, file);
    seen.set(r.name, i);
  });
  const unnamed = recipes.flatMap((r, i) => (r.name === undefined ? [i] : []));
  if (unnamed.length > 1) {
    throw new RecipeError(`documents ${unnamed.map((i) => i + 1).join(', ')} have no 'name:': only the final merge may be unnamed`, file);
  }
  const deps = stageDependencies(recipes);
  deps.forEach((d, i) => {
    if (d.includes(i)) throw new RecipeError(`${describe(recipes, i)} uses its own output`, file);
  });

  // Depth-first: each stage after the stages it uses; a cycle is an error.
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number, path: number[]): void => {
    if (state.get(i) === 'done') return;
    if (state.get(i) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(i)), i].map((j) => describe(recipes, j)).join(' → ');
      throw new RecipeError(`the stages use each other in a cycle: ${cycle}`, file);
    }
    state.set(i, 'visiting');
    for (const d of deps[i]) visit(d, [...path, i]);
    state.set(i, 'done');
    order.push(i);
  };

  let final: number;
  if (unnamed.length === 1) final = unnamed[0];
  else {
    const used = new Set(deps.flat());
    const sinks = recipes.flatMap((_, i) => (used.has(i) ? [] : [i]));
    // Every stage used by another: there is a cycle, and the search from each stage names it.
    if (sinks.length === 0) recipes.forEach((_, i) => visit(i, []));
    if (sinks.length !== 1) {
      const names = sinks.map((i) => `'${recipes[i].name}'`).join(', ');
      throw new RecipeError(`no other stage uses ${names}: which is the result? Remove the 'name:' of the final merge`, file);
    }
    final = sinks[0];
  }

  // From the final merge.
  visit(final, []);
  const unused = recipes.flatMap((_, i) => (state.has(i) ? [] : [i]));
  return { order, final, unused };
}

/**
 * Why an unused stage is unused, when a stage that runs names a model close to its name (a typo
 * such as 'soupp' for the stage 'soup'): " (did stage 'x' mean 'soup' where it says 'soupp'?)",
 * else "".
 */
export function unusedStageHint(recipes: readonly MergeRecipe[], plan: StagePlan, unused: number): string {
  const name = recipes[unused].name;
  if (name === undefined) return '';
  for (const i of plan.order) {
    const typo = recipeModelKeys(recipes[i]).find((k) => k !== name && nearestName(k, [name]) === name);
    if (typo !== undefined) return ` (did ${describe(recipes, i)} mean '${name}' where it says '${typo}'?)`;
  }
  return '';
}
