/**
 * The dtype keys a compiled recipe (a chain's stage, or the final merge) carries: mergekit's
 * `dtype` as an imported recipe wrote it, and `out_dtype` only when it says more (mergekit's
 * out_dtype defaults to dtype). The engine writes out_dtype, else dtype, so either way the
 * result is written in `dtype` below when set.
 */
import type { MergeRecipe } from '../recipe/types.js';
import { outDtype } from './recipe-output-node.js';
import type { MergeNodeData } from './project-schema.js';

/**
 * `dtype`: the dtype the node (or Output) says its result is written in (undefined: none set);
 * `recipeDtype`: the recipe's own dtype key kept on import. A recipe dtype the node could show,
 * with none set on it, means the user cleared it: the key goes too, or it would still set the dtype.
 */
export function dtypeKeys(dtype: MergeNodeData['dtype'], recipeDtype: string | undefined): Pick<MergeRecipe, 'dtype' | 'outDtype'> {
  const keep = recipeDtype !== undefined && !(dtype === undefined && outDtype(recipeDtype) !== 'auto');
  const keys: Pick<MergeRecipe, 'dtype' | 'outDtype'> = keep ? { dtype: recipeDtype } : {};
  if (dtype !== undefined && !(keep && outDtype(recipeDtype) === dtype)) keys.outDtype = dtype;
  return keys;
}
