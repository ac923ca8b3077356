/**
 * What `crucible merge` will refuse in a recipe that imports as a graph all the same (the graph
 * keeps it, so it exports as written): warned on import, in the planner's words
 * (refusal-messages.ts). Only what the written recipe shows: a base written differently from its
 * listing (another spelling of the same folder) is left to the merge, which resolves both.
 */
import { getMethod } from '../../../common/methods/registry.js';
import { mergedBase } from '../../../common/recipe/base-model.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { baseNotAmongInputs, UNION_TOKENIZER_REFUSED } from '../plan/refusal-messages.js';
import { modelKeyOf } from './model-reference.js';

export function importRefusals(recipes: readonly MergeRecipe[]): string[] {
  const out: string[] = [];
  for (const r of recipes) {
    const stage = recipes.length > 1 && r.name !== undefined ? `stage '${r.name}': ` : '';
    const refused = (what: string) => out.push(`${stage}${what}: it is kept in the graph, and the merge refuses it`);
    if (r.tokenizerSource === 'union') refused(UNION_TOKENIZER_REFUSED);
    const method = getMethod(r.mergeMethod);
    const base = mergedBase(r);
    if (!method?.baseAmongInputs || base === undefined) continue;
    const groups = r.models ? [r.models.map(modelKeyOf)] : (r.slices ?? []).map((s) => s.sources.map(modelKeyOf));
    groups.forEach((keys, i) => {
      if (!keys.includes(base)) refused(baseNotAmongInputs(method.mergekitName, base, groups.length > 1 ? ` (slice ${i + 1})` : ''));
    });
  }
  return out;
}
