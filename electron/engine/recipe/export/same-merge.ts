/** Whether two recipe lists ask Crucible for the same merges (what an exported file must import as). */
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { deepEqual } from './deep-equal.js';

/** `dtype` only sets the output dtype when `out_dtype` is absent: compare the dtype written. */
function meaning(r: MergeRecipe): MergeRecipe {
  const { dtype, outDtype, ...rest } = r;
  const written = outDtype ?? dtype;
  return written === undefined ? rest : { ...rest, outDtype: written };
}

export function sameMerges(a: readonly MergeRecipe[], b: readonly MergeRecipe[]): boolean {
  return a.length === b.length && a.every((r, i) => deepEqual(meaning(r), meaning(b[i])));
}
