/**
 * Sweeps and barrier previews over a merge node's numeric parameters: every setting is merged
 * with the real kernels (getKernel), rounded to the output dtype with the merge's own random
 * keys, and scored by probe loss; all settings advance together layer by layer, so each input
 * tensor is read once for the whole grid. Results are cached (probe-cache.ts).
 */
import { resolve } from 'node:path';
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import type { CheckpointInfo } from '../../io/types.js';
import { planMerge } from '../../plan/plan-merge.js';
import type { MergePlan } from '../../plan/types.js';
import { ValidationError } from '../../plan/validation-error.js';
import { loadInputs } from '../../run/load-inputs.js';
import { barrierResult, type BarrierResult, type TextCurve } from '../barrier/interpolation-barrier.js';
import { lambdaPoints, type CurvePoint } from '../barrier/barrier-height.js';
import { outputHeaders } from '../barrier/output-headers.js';
import { variantLosses, type VariantsOptions } from '../barrier/variant-losses.js';
import { looksLikeMlp } from '../mlp/mlp-spec.js';
import { detectLanguageModel } from '../arch/detect-language-model.js';
import type { IoStats } from '../stream/io-stats.js';
import { textHash, type ProbeText } from '../text/probe-text.js';
import { tokenizerFor } from '../text/tokenizer.js';
import { resolveWindowOptions } from '../text/windows.js';
import { ProbeCache, probeCacheKey } from './probe-cache.js';
import { axisDescriptor, defaultRange, sliderValues, withParam, type SweepAxis } from './sweep-axis.js';
import { variantPlans } from './variant-plans.js';

export interface SweepInput {
  recipe: MergeRecipe;
  /** Folder relative model references resolve against (default: the working directory). */
  recipeDir?: string;
  modelsRoot?: string;
  /** Already opened inputs by recipe model key (skips opening them again). */
  checkpoints?: ReadonlyMap<string, CheckpointInfo>;
  texts: readonly ProbeText[];
}

export interface GridAxis extends SweepAxis {
  values: number[];
}

export interface SweepCell {
  /** One value per axis. */
  values: number[];
  /** Mean nats per token, per probe text. */
  losses: number[];
  /** Mean over texts. */
  mean: number;
  /** Set when this setting cannot be merged (the planner's message); its losses are NaN. */
  error?: string;
}

export interface SweepCellEvent extends SweepCell {
  type: 'cell';
  index: number;
}

export interface SweepResult {
  axes: GridAxis[];
  /** Row-major over the axes (the last axis varies fastest). */
  cells: SweepCell[];
  /** Index of the cell with the lowest mean loss (cells with an error never are). */
  best: number;
  texts: { name: string; tokens: number }[];
  /** Zero reads when the result came from the cache. */
  io: IoStats;
  warnings: string[];
  cached: boolean;
}

export interface SweepOptions extends Omit<VariantsOptions, 'onVariant'> {
  onCell?: (e: SweepCellEvent) => void;
  cache?: ProbeCache;
}

async function openInputs(input: SweepInput): Promise<ReadonlyMap<string, CheckpointInfo>> {
  if (input.checkpoints) return input.checkpoints;
  return (await loadInputs(input.recipe, resolve(input.recipeDir ?? '.'), input.modelsRoot)).checkpoints;
}

function gridSettings(axes: GridAxis[]): number[][] {
  let cells: number[][] = [[]];
  for (const a of axes) cells = cells.flatMap((c) => a.values.map((v) => [...c, v]));
  return cells;
}

/** Probe loss of every cell of a grid over one or two parameters of a merge node. */
export async function recipeSweep(input: SweepInput, axes: GridAxis[], opts: SweepOptions = {}): Promise<SweepResult> {
  if (axes.length < 1 || axes.length > 2) throw new RangeError('a sweep has one or two axes');
  for (const a of axes) {
    axisDescriptor(input.recipe, a);
    if (a.values.length === 0) throw new RangeError(`axis '${a.param}' has no values`);
  }
  const checkpoints = await openInputs(input);
  const settings = gridSettings(axes);
  const recipes = settings.map((vals) => vals.reduce((r, v, i) => withParam(r, axes[i], v), input.recipe));
  // A setting the planner refuses (e.g. a density that keeps no entry of some tensor) becomes a
  // cell with an error; the others are probed.
  const errors = new Map<number, string>();
  const plans: MergePlan[] = [];
  const variantCell: number[] = [];
  recipes.forEach((r, j) => {
    try {
      plans.push(planMerge(r, checkpoints));
      variantCell.push(j);
    } catch (e) {
      if (!(e instanceof ValidationError) || recipes.length === 1) throw e;
      errors.set(j, e.message);
    }
  });
  if (plans.length === 0) throw new ValidationError([{ message: `no setting of the sweep can be merged: ${[...errors.values()][0]}` }]);
  const vp = variantPlans(plans);
  const plan0 = vp.plans[0];
  const headers = outputHeaders(plan0.tensors, checkpoints, plan0.donor, plan0.tieWordEmbeddings);
  const tokenizerFolder = checkpoints.get(plan0.tokenizerSource ?? plan0.donor)!.folder;
  const { window, stride } = resolveWindowOptions(opts);
  const tokenizer = looksLikeMlp(headers) ? undefined : (opts.tokenizer ?? (await tokenizerFor(tokenizerFolder, detectLanguageModel(headers).vocab)));

  const key = probeCacheKey({
    inputHeaderHashes: [...checkpoints.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).flatMap(([k, ck]) => [k, ...ck.files.map((f) => f.headerSha256)]),
    parameters: { recipe: input.recipe, axes },
    textHashes: input.texts.map(textHash),
    window,
    stride,
    points: settings.length,
    tokenizer: tokenizer?.id ?? 'csv',
  });
  const hit = opts.cache?.get(key) as SweepResult | undefined;
  if (hit) {
    hit.cells.forEach((c, index) => opts.onCell?.({ type: 'cell', index, ...c }));
    return { ...hit, cached: true, io: { bytesRead: 0, reads: new Map() } };
  }

  const cellOf = (j: number, losses: number[]): SweepCell => ({ values: settings[j], losses, mean: losses.reduce((s, x) => s + x, 0) / losses.length });
  const failed = (j: number): SweepCell => ({ ...cellOf(j, input.texts.map(() => Number.NaN)), error: errors.get(j) });
  for (const j of errors.keys()) opts.onCell?.({ type: 'cell', index: j, ...failed(j) });
  const run = await variantLosses(
    { variants: plans.length, plan: vp.plan, checkpoints, headers, tokenizerFolder, seed: plan0.seed },
    input.texts,
    { ...opts, tokenizer, onVariant: (e) => opts.onCell?.({ type: 'cell', index: variantCell[e.variant], ...cellOf(variantCell[e.variant], e.losses) }) },
  );
  const cells = settings.map((_, j) => failed(j));
  run.losses.forEach((l, v) => (cells[variantCell[v]] = cellOf(variantCell[v], l)));
  let best = variantCell[0];
  cells.forEach((c, j) => {
    if (c.mean < cells[best].mean) best = j;
  });
  const result: SweepResult = {
    axes,
    cells,
    best,
    texts: input.texts.map((t, i) => ({ name: t.name, tokens: run.tokens[i] })),
    io: run.io,
    warnings: [...plan0.warnings, ...run.warnings],
    cached: false,
  };
  opts.cache?.set(key, { ...result, io: { bytesRead: run.io.bytesRead, reads: new Map() } });
  return result;
}

export interface SliderPoint extends CurvePoint {
  /** The parameter's value at this point. */
  value: number;
}

export interface SliderBarrierResult extends Omit<BarrierResult, 'points' | 'texts'> {
  axis: SweepAxis;
  points: SliderPoint[];
  texts: TextCurve[];
  cached: boolean;
}

export interface SliderOptions extends SweepOptions {
  /** K (default 11). */
  points?: number;
  /** The slider's range (default: the parameter's bounds, else its soft bounds). */
  range?: [number, number];
}

/**
 * The barrier preview along one slider: loss at λ_j = j/(K−1) across the slider's range (values
 * clamped to the parameter's valid range), each text's curve and barrier, and the mean curve.
 */
export async function sliderBarrier(input: SweepInput, axis: SweepAxis, opts: SliderOptions = {}): Promise<SliderBarrierResult> {
  const p = axisDescriptor(input.recipe, axis);
  const lambdas = lambdaPoints(opts.points ?? 11);
  const values = sliderValues(p, opts.range ?? defaultRange(p), lambdas);
  const sweep = await recipeSweep(input, [{ ...axis, values }], opts);
  const res = barrierResult(
    lambdas,
    sweep.cells.map((c) => c.losses),
    sweep.texts.map((t) => t.name),
    sweep.texts.map((t) => t.tokens),
  );
  return {
    axis,
    points: res.points.map((pt, j) => ({ ...pt, value: values[j] })),
    barrier: res.barrier,
    texts: res.texts,
    io: sweep.io,
    warnings: sweep.warnings,
    cached: sweep.cached,
  };
}
