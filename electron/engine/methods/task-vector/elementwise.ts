/**
 * MethodKernel.splittable for the family: true only when every output element depends on the same
 * element of the inputs alone, i.e. every model's sparsifier is elementwise for its parameters:
 * no sparsifier; density 1 (no sparsification); or DARE's random drop with rescale off or
 * `inverse` (the `l1` rule needs whole-tensor norms). Sign election is elementwise; magnitude
 * ranks (TIES, breadcrumbs), DELLA's row ranks and l1 norms are not.
 */
import type { ResolvedParams } from '../../../../common/methods/types.js';
import { FAMILY, type TaskVectorMethodId } from './family.js';
import { sparsifies } from './sparsifier-stats.js';
import { parseSettings } from './settings.js';

export function isElementwise(id: TaskVectorMethodId, global: ResolvedParams, modelParams: readonly ResolvedParams[]): boolean {
  const shape = FAMILY[id];
  const { settings, problems } = parseSettings(id, shape, modelParams, global, 0);
  if (problems.length > 0) return false;
  return settings.models.every((m) => {
    if (!sparsifies(shape.sparsifier, m)) return true;
    return shape.sparsifier === 'random' && settings.rescale !== 'l1';
  });
}
