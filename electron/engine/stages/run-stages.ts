/**
 * A multi-stage recipe end to end (mergekit-multi): each stage the final merge needs runs in
 * dependency order; a stage's output is the model its name stands for in later stages. Without an
 * intermediate folder, stage outputs live in a temporary folder beside the final output, removed
 * when the run ends (a killed run's is removed by the next run there).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { planStages, unusedStageHint } from '../recipe/stage-order.js';
import { TEMP_PREFIX } from '../run/output-folder.js';
import type { Preflight, RunOptions, RunResult } from '../run/types.js';
import { preflightStages } from './preflight-stages.js';
import { CancelledError } from '../executor/cancel.js';
import { InputError } from '../io/types.js';
import { recipesGraph } from '../run/recipe-graph.js';
import { readStageRecord, type StageRecord } from '../provenance/stage-record.js';

export interface StageStart {
  type: 'stage';
  /** 1-based position in the run, of `count`. */
  index: number;
  count: number;
  name: string | null;
  out: string;
}

export interface StagesOptions extends Omit<RunOptions, 'recipe' | 'out'> {
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
  /**
   * The engine's pre-flight: when given, every stage is checked (inputs found, headers compatible,
   * parameters valid) before the first one runs, so a mistake in a late stage costs no early stage's run.
   */
  preflight?: (opts: RunOptions) => Promise<Preflight>;
  /** What a stage's output recorded, for the final output's provenance (default: read from its metadata). */
  readRecord?: (name: string, out: string) => Promise<StageRecord | undefined>;
}

/**
 * Stage names used as models take precedence over folders of the same name, as in mergekit-multi:
 * a warning for each name that is also a folder where the reference would otherwise resolve.
 */
export function shadowedFolderWarnings(stages: readonly MergeRecipe[], recipeDir: string, modelsRoot?: string): string[] {
  const out: string[] = [];
  for (const s of stages) {
    if (s.name === undefined) continue;
    const folder = resolve(modelsRoot ?? recipeDir, s.name);
    if (existsSync(folder)) out.push(`stage '${s.name}' has the name of the folder ${folder}: the stage's output is used, not that folder`);
  }
  return out;
}

/**
 * Where stage outputs are kept: the folder given, else with `keep` (--keep-intermediates) the
 * folder `<out>-stages` beside the final output; undefined: a temporary folder, removed.
 */
export function keptStagesDir(out: string, intermediateDir: string | undefined, keep: boolean | undefined): string | undefined {
  return intermediateDir ?? (keep ? `${resolve(out)}-stages` : undefined);
}

/** A stage's folder name: its name, with path separators and dot-only names made harmless. */
export function stageFolderName(name: string): string {
  const safe = name.replace(/[/\\:]/g, '_');
  return /^\.*$/.test(safe) ? safe.replace(/\./g, '_') || '_' : safe;
}

/**
 * The stages' folder and the final output must be apart: stage outputs inside the output would be
 * written under the final name before the final merge, and the final rename would replace them.
 */
function checkIntermediateDir(intermediateDir: string | undefined, out: string): void {
  if (intermediateDir === undefined) return;
  const a = resolve(intermediateDir);
  const b = resolve(out);
  const within = (x: string, y: string) => x === y || x.startsWith(y + sep);
  if (within(a, b) || within(b, a)) {
    throw new InputError(`the stages' folder ${a} and the output ${b} must not be one inside the other: choose another --intermediate-dir`, a);
  }
}

export async function runStages(opts: StagesOptions): Promise<RunResult> {
  const { stages, file, out, intermediateDir, onStage, onSkipped, run, preflight, readRecord = readStageRecord, ...rest } = opts;
  // The recipe file is read: no output may replace it.
  const common = { ...rest, readFiles: [...(rest.readFiles ?? []), file] };
  const plan = planStages(stages, file);
  for (const i of plan.unused) onSkipped?.(`stage '${stages[i].name}' is not used by the final merge: it is not run${unusedStageHint(stages, plan, i)}`);
  if (plan.order.length === 1) return run({ ...common, recipe: stages[plan.final], out });
  checkIntermediateDir(intermediateDir, out);
  // Its warnings come again from each stage's run: only its errors matter here.
  if (preflight) await preflightStages({ ...common, stages, file, out, preflight });
  const used = plan.order.map((i) => stages[i]);
  for (const message of shadowedFolderWarnings(used.slice(0, -1), common.recipeDir, common.modelsRoot)) common.onEvent?.({ type: 'warning', message });

  const dest = resolve(out);
  const temp = intermediateDir === undefined ? join(dirname(dest), `${TEMP_PREFIX}stages-${basename(dest)}-${process.pid}-${randomBytes(4).toString('hex')}`) : undefined;
  const folder = resolve(intermediateDir ?? temp!);
  const modelPaths: Record<string, string> = { ...common.modelPaths };
  // The final output records the whole chain: each earlier stage's recipe and inputs, and the graph of all stages.
  const records: StageRecord[] = [];
  const graph = common.provenance?.graph ?? recipesGraph(stages, plan.final);
  try {
    await mkdir(folder, { recursive: true });
    let result: RunResult | undefined;
    for (const [k, i] of plan.order.entries()) {
      if (opts.signal?.aborted) throw new CancelledError();
      const recipe = stages[i];
      const isFinal = i === plan.final;
      const stageOut = isFinal ? dest : join(folder, stageFolderName(recipe.name!));
      onStage?.({ type: 'stage', index: k + 1, count: plan.order.length, name: recipe.name ?? null, out: stageOut });
      const provenance = isFinal ? { ...common.provenance, graph, stages: records } : common.provenance;
      result = await run({ ...common, recipe, out: stageOut, modelPaths: { ...modelPaths }, provenance });
      if (recipe.name !== undefined) modelPaths[recipe.name] = stageOut;
      if (!isFinal) {
        const record = await readRecord(recipe.name!, stageOut);
        if (record) records.push(record);
      }
    }
    return result!;
  } finally {
    if (temp) await rm(temp, { recursive: true, force: true });
  }
}
