/**
 * A multi-stage recipe end to end (mergekit-multi): each stage the final merge needs runs in
 * dependency order; a stage's output is the model its name stands for in later stages. Without an
 * intermediate folder, stage outputs live in a temporary folder beside the final output, removed
 * when the run ends (a killed run's is removed by the next run there).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { planStages } from '../recipe/stage-order.js';
import { TEMP_PREFIX } from '../run/output-folder.js';
import type { RunOptions, RunResult } from '../run/types.js';
import { CancelledError } from '../executor/cancel.js';

export interface StageStart {
  type: 'stage';
  /** 1-based position in the run, of `count`. */
  index: number;
  count: number;
  name: string | null;
  out: string;
}

export interface StagesOptions extends Omit<RunOptions, 'recipe' | 'out' | 'modelPaths'> {
  stages: readonly MergeRecipe[];
  /** The recipe file, named in errors. */
  file: string;
  /** The final merge's output. */
  out: string;
  /** Where stage outputs are kept (DIR/<stage name>); default: a temporary folder, removed. */
  intermediateDir?: string;
  onStage?: (e: StageStart) => void;
  onSkipped?: (message: string) => void;
  /** The engine's runMerge (injected for tests). */
  run: (opts: RunOptions) => Promise<RunResult>;
}

/** A stage's folder name: its name, with path separators and dot-only names made harmless. */
export function stageFolderName(name: string): string {
  const safe = name.replace(/[/\\:]/g, '_');
  return /^\.*$/.test(safe) ? safe.replace(/\./g, '_') || '_' : safe;
}

export async function runStages(opts: StagesOptions): Promise<RunResult> {
  const { stages, file, out, intermediateDir, onStage, onSkipped, run, ...common } = opts;
  const plan = planStages(stages, file);
  for (const i of plan.unused) onSkipped?.(`stage '${stages[i].name}' is not used by the final merge: it is not run`);
  if (plan.order.length === 1) return run({ ...common, recipe: stages[plan.final], out });

  const dest = resolve(out);
  const temp = intermediateDir === undefined ? join(dirname(dest), `${TEMP_PREFIX}stages-${basename(dest)}-${process.pid}-${randomBytes(4).toString('hex')}`) : undefined;
  const folder = resolve(intermediateDir ?? temp!);
  const modelPaths: Record<string, string> = {};
  try {
    await mkdir(folder, { recursive: true });
    let result: RunResult | undefined;
    for (const [k, i] of plan.order.entries()) {
      if (opts.signal?.aborted) throw new CancelledError();
      const recipe = stages[i];
      const stageOut = i === plan.final ? dest : join(folder, stageFolderName(recipe.name!));
      onStage?.({ type: 'stage', index: k + 1, count: plan.order.length, name: recipe.name ?? null, out: stageOut });
      result = await run({ ...common, recipe, out: stageOut, modelPaths: { ...modelPaths } });
      if (recipe.name !== undefined) modelPaths[recipe.name] = stageOut;
    }
    return result!;
  } finally {
    if (temp) await rm(temp, { recursive: true, force: true });
  }
}
