/**
 * Which share of each model's task vector a merge's trimming or dropping keeps (issue 5's "fraction
 * kept by trimming or DARE"), decided from the method and its parameters alone, without touching
 * the kernels: the same parameter parsing (task-vector/settings.ts) and the same spec §2 bands.
 *
 * - `band`: magnitude trimming over the whole tensor keeps descending ranks [lo, hi) (TIES [0, ⌊d·n⌋),
 *   breadcrumbs' outlier band). Zeros rank last, so of a model's nnz non-zero coordinates exactly
 *   max(0, min(hi, nnz) − lo) survive: the count follows from nnz, no threshold needed.
 * - `random` / `della`: counted coordinate by coordinate with the merge's own counter-based keys
 *   (kept-counter.ts).
 * - `sce`: one variance mask for all models, counted after recomputing its cut (kept-counter.ts).
 * - `all`: this model is not sparsified (density 1): every non-zero coordinate is kept.
 * null: the method neither trims nor drops (linear, task arithmetic, slerp, ...).
 */
import type { MethodId, ResolvedParams } from '../../../common/methods/types.js';
import { FAMILY, type TaskVectorMethodId } from '../methods/task-vector/family.js';
import { outlierBand, sparsifies } from '../methods/task-vector/sparsifier-stats.js';
import { parseSettings } from '../methods/task-vector/settings.js';

export type KeepRule =
  | { kind: 'all' }
  | { kind: 'band'; lo: number; hi: number }
  | { kind: 'random'; density: number }
  | { kind: 'della'; density: number; epsilon: number }
  | { kind: 'sce'; topk: number };

export interface KeepRuleInput {
  method: MethodId;
  modelParams: readonly ResolvedParams[];
  global: ResolvedParams;
  /** Elements of the whole output tensor (bands are ranks over the whole tensor). */
  numel: number;
}

function isTaskVectorMethod(id: MethodId): id is TaskVectorMethodId {
  return Object.prototype.hasOwnProperty.call(FAMILY, id);
}

/** One rule per model, or null when the method keeps every coordinate by construction. */
export function keepRulesFor(input: KeepRuleInput): KeepRule[] | null {
  if (input.method === 'sce') {
    const topk = input.global.select_topk ?? 1;
    if (typeof topk !== 'number') return null;
    return input.modelParams.map(() => (topk < 1 ? { kind: 'sce', topk } : { kind: 'all' }));
  }
  if (!isTaskVectorMethod(input.method)) return null;
  const shape = FAMILY[input.method];
  if (shape.sparsifier === 'none') return null;
  const { settings, problems } = parseSettings(input.method, shape, input.modelParams, input.global, input.numel);
  if (problems.length > 0) return null;
  const n = input.numel;
  return settings.models.map((m): KeepRule => {
    if (!sparsifies(shape.sparsifier, m)) return { kind: 'all' };
    switch (shape.sparsifier) {
      case 'magnitude':
        return { kind: 'band', lo: 0, hi: Math.floor(m.density * n) };
      case 'outliers':
        return { kind: 'band', ...outlierBand(m.density, m.gamma, n) };
      case 'random':
        return { kind: 'random', density: m.density };
      case 'della':
        return { kind: 'della', density: m.density, epsilon: m.epsilon };
      default:
        return { kind: 'all' };
    }
  });
}

/** Non-zero coordinates that survive, from a model's non-zero count and the coordinates counted kept. */
export function keptOf(rule: KeepRule, nonzero: number, counted: number): number {
  switch (rule.kind) {
    case 'all':
      return nonzero;
    case 'band':
      return Math.max(0, Math.min(rule.hi, nonzero) - rule.lo);
    default:
      return counted;
  }
}

/** Whether the rule is decided coordinate by coordinate while measuring (not from counts alone). */
export function isCounted(rule: KeepRule): boolean {
  return rule.kind === 'random' || rule.kind === 'della' || rule.kind === 'sce';
}
