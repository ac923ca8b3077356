/**
 * The pre-flight of a multi-stage run, before any stage exists: each stage is checked in run order
 * with every earlier stage's output stood in for by that stage's donor model (its base when merged,
 * else its first model: a merge keeps its donor's tensor names and shapes); a `slices:` stage's output by
 * its donor's headers with the tensors and layers that stage's pre-flight says it writes
 * (slices-stand-in.ts). Bytes to read and to write add up over the stages (stage outputs stay on
 * disk until the run ends); the tensor list is the final merge's.
 */
import { dirname, join, resolve } from 'node:path';
import { mergedBase } from '../../../common/recipe/base-model.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { resolveModelRef } from '../recipe/model-ref.js';
import { splitLoraRef } from '../recipe/model-reference.js';
import { planStages } from '../recipe/stage-order.js';
import type { Preflight, RunOptions } from '../run/types.js';
import { openCheckpoint } from '../io/checkpoint.js';
import type { CheckpointInfo } from '../io/types.js';
import { slicesStandIn } from './slices-stand-in.js';

export interface StagesPreflightOptions extends Omit<RunOptions, 'recipe'> {
  stages: readonly MergeRecipe[];
  file: string;
  preflight: (opts: RunOptions) => Promise<Preflight>;
  /** Called before each stage is checked: its name (null for the final merge). */
  onStage?: (name: string | null) => void;
}

/** The model whose tensors a stage's output has: its base, unless its method merges none (then the base gives config and tokenizer only). */
function donorKey(recipe: MergeRecipe): string | undefined {
  return mergedBase(recipe) ?? recipe.models?.[0]?.model ?? recipe.slices?.[0]?.sources[0]?.model;
}

export async function preflightStages(opts: StagesPreflightOptions): Promise<Preflight> {
  const { stages, file, preflight, onStage, ...common } = opts;
  const plan = planStages(stages, file);
  if (plan.order.length === 1) return preflight({ ...common, recipe: stages[plan.final] });
  const standIn: Record<string, string> = { ...common.modelPaths };
  const virtual = new Map<string, CheckpointInfo>(common.standIns);
  const parent = dirname(resolve(common.out));
  let bytesToRead = 0;
  let bytesToWrite = 0;
  const warnings: string[] = [];
  let last: Preflight | undefined;
  for (const i of plan.order) {
    const recipe = stages[i];
    const isFinal = i === plan.final;
    onStage?.(isFinal ? null : (recipe.name ?? null));
    const pf = await preflight({ ...common, recipe, out: isFinal ? common.out : join(parent, 'stage'), modelPaths: { ...standIn }, standIns: new Map(virtual) });
    bytesToRead += pf.bytesToRead;
    bytesToWrite += pf.bytesToWrite;
    for (const w of pf.warnings) if (!warnings.includes(w)) warnings.push(w);
    last = pf;
    if (!isFinal && recipe.name !== undefined) {
      const key = donorKey(recipe);
      const ref = key === undefined ? undefined : (splitLoraRef(key)?.model ?? key);
      if (ref === undefined) continue;
      const virtualDonor = virtual.get(ref);
      const donorPath = () => standIn[ref] ?? resolveModelRef(ref, { modelsRoot: common.modelsRoot, recipeDir: resolve(common.recipeDir) });
      if (recipe.slices) {
        const donor = virtualDonor ?? (await openCheckpoint(donorPath()));
        virtual.set(recipe.name, slicesStandIn(donor, pf, join(parent, recipe.name)));
      } else if (virtualDonor) virtual.set(recipe.name, virtualDonor);
      else standIn[recipe.name] = donorPath();
    }
  }
  const pf = last!;
  return { ...pf, bytesToRead, bytesToWrite, warnings, fitsOnDisk: pf.freeDisk >= bytesToWrite * 1.01 + 1e6 };
}
