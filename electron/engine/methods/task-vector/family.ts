/** The task-vector family's methods as data (spec §2 table): which sparsifier, whether signs are elected. */
import type { MethodId } from '../../../../common/methods/types.js';

/** none; magnitude (TIES trim); random (DARE); outliers (breadcrumbs); della (rank-dependent random, per row). */
export type SparsifierKind = 'none' | 'magnitude' | 'random' | 'outliers' | 'della';

export interface FamilyShape {
  sparsifier: SparsifierKind;
  /** TIES-style sign election (mask_i = [sign(WD_i) = s]) and disjoint division. */
  consensus: boolean;
}

export type TaskVectorMethodId = Extract<
  MethodId,
  'task_arithmetic' | 'ties' | 'dare_linear' | 'dare_ties' | 'breadcrumbs' | 'breadcrumbs_ties' | 'della' | 'della_linear'
>;

export const FAMILY: Readonly<Record<TaskVectorMethodId, FamilyShape>> = {
  task_arithmetic: { sparsifier: 'none', consensus: false },
  ties: { sparsifier: 'magnitude', consensus: true },
  dare_linear: { sparsifier: 'random', consensus: false },
  dare_ties: { sparsifier: 'random', consensus: true },
  breadcrumbs: { sparsifier: 'outliers', consensus: false },
  breadcrumbs_ties: { sparsifier: 'outliers', consensus: true },
  della_linear: { sparsifier: 'della', consensus: false },
  della: { sparsifier: 'della', consensus: true },
};
