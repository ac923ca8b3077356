/**
 * The merge plans of K settings of a recipe, looked up by variant and output tensor. Every
 * setting must read the same input tensors (only parameters change), which is what lets the
 * probe read each input once for all of them.
 */
import type { MergePlan, SourceRef, TensorPlan } from '../../plan/types.js';

export interface VariantPlans {
  plans: MergePlan[];
  plan(variant: number, name: string): TensorPlan;
}

function refs(t: TensorPlan): string {
  const list: (SourceRef | undefined)[] = t.copyFrom ? [t.copyFrom] : [t.base, ...t.models];
  return list.map((r) => (r ? `${r.model}\u0000${r.tensor}` : '-')).join('|') + `|${t.method}|${t.outDtype}|${t.rows ?? ''}`;
}

export function variantPlans(plans: MergePlan[]): VariantPlans {
  if (plans.length === 0) throw new RangeError('no settings to probe');
  const byName = plans.map((p) => new Map(p.tensors.map((t) => [t.name, t])));
  const first = byName[0];
  byName.forEach((m, j) => {
    if (m.size !== first.size) throw new Error(`setting ${j} plans ${m.size} tensors, setting 0 plans ${first.size}`);
    for (const [name, t] of m) {
      const t0 = first.get(name);
      if (!t0 || refs(t0) !== refs(t)) throw new Error(`setting ${j} reads other inputs for ${name} than setting 0; it cannot share their reads`);
    }
  });
  return {
    plans,
    plan: (j, name) => {
      const t = byName[j].get(name);
      if (!t) throw new Error(`the merge writes no tensor ${name}`);
      return t;
    },
  };
}
