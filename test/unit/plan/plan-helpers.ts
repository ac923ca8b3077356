/** Small helpers over planMerge's results for tests. */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import type { CheckpointInfo } from '../../../electron/engine/io/types.js';
import { planMerge } from '../../../electron/engine/plan/plan-merge.js';
import type { MergePlan, TensorPlan } from '../../../electron/engine/plan/types.js';
import { ValidationError, type PlanProblem } from '../../../electron/engine/plan/validation-error.js';

export function problemsOf(recipe: MergeRecipe, checkpoints: Map<string, CheckpointInfo>): PlanProblem[] {
  try {
    planMerge(recipe, checkpoints);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  throw new Error('the plan was accepted');
}

export function tensor(plan: MergePlan, name: string): TensorPlan {
  const t = plan.tensors.find((x) => x.name === name);
  if (!t) throw new Error(`no tensor ${name} in the plan`);
  return t;
}
