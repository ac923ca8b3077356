/**
 * A numeric parameter of a merge node to sweep: a global parameter, or one model's own. Setting
 * it replaces whatever the recipe has there (a scalar, gradient or filter list) by the scalar, as
 * moving the node's slider does.
 */
import { getMethod } from '../../../../common/methods/registry.js';
import type { NumberParam } from '../../../../common/methods/types.js';
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { InputError } from '../../io/types.js';

export interface SweepAxis {
  /** The parameter's name in the method registry (weight, density, lambda, t, …). */
  param: string;
  /** For a per-model parameter: the index of the model in the recipe's `models`. */
  model?: number;
}

/** The registry's descriptor of the axis's parameter; refuses unknown, non-numeric or wrongly scoped ones. */
export function axisDescriptor(recipe: MergeRecipe, axis: SweepAxis): NumberParam {
  const method = getMethod(recipe.mergeMethod);
  if (!method) throw new InputError(`unknown merge method '${recipe.mergeMethod}'`);
  const p = method.params.find((q) => q.name === axis.param);
  if (!p) throw new InputError(`${method.label} has no parameter '${axis.param}' (it has ${method.params.map((q) => q.name).join(', ')})`);
  if (p.type !== 'number') throw new InputError(`parameter '${axis.param}' of ${method.label} is not numeric and cannot be swept`);
  if (p.scope === 'model' && axis.model === undefined) throw new InputError(`'${axis.param}' is a per-model parameter: name the model to sweep it for`);
  if (p.scope === 'global' && axis.model !== undefined) throw new InputError(`'${axis.param}' is a global parameter of ${method.label}, not a per-model one`);
  if (axis.model !== undefined && !(recipe.models && axis.model >= 0 && axis.model < recipe.models.length)) {
    throw new InputError(`the recipe has no model #${axis.model} in its models list (per-model sweeps need the models form)`);
  }
  return p;
}

/** The recipe with the axis's parameter set to `value`. */
export function withParam(recipe: MergeRecipe, axis: SweepAxis, value: number): MergeRecipe {
  if (axis.model === undefined) return { ...recipe, parameters: { ...recipe.parameters, [axis.param]: value } };
  const models = recipe.models!.map((m, i) => (i === axis.model ? { ...m, parameters: { ...m.parameters, [axis.param]: value } } : m));
  return { ...recipe, models };
}

/** Smallest step inside an exclusive bound (density > 0): a millionth of the range, at least 1e-6. */
const EXCLUSIVE_STEP = 1e-6;

/** `value` clamped into the parameter's valid range (exclusive bounds are nudged inside). */
export function clampToParam(p: NumberParam, value: number): number {
  let v = value;
  if (p.min !== undefined && (v < p.min || (p.minExclusive && v <= p.min))) v = p.minExclusive ? p.min + EXCLUSIVE_STEP * Math.max(1, Math.abs(p.min)) : p.min;
  if (p.max !== undefined && (v > p.max || (p.maxExclusive && v >= p.max))) v = p.maxExclusive ? p.max - EXCLUSIVE_STEP * Math.max(1, Math.abs(p.max)) : p.max;
  if (p.integer) v = Math.round(v);
  return v;
}

/** The slider's K values: lo + λ_j·(hi − lo), λ_j = j/(K−1), each clamped to valid values. */
export function sliderValues(p: NumberParam, range: readonly [number, number], lambdas: readonly number[]): number[] {
  const [lo, hi] = range;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`the slider range must be finite (got [${lo}, ${hi}])`);
  return lambdas.map((l) => clampToParam(p, lo + l * (hi - lo)));
}

/** The slider's range when none is given: the parameter's bounds, else its soft bounds, else [0, 1]. */
export function defaultRange(p: NumberParam): [number, number] {
  return [p.min ?? p.softMin ?? 0, p.max ?? p.softMax ?? 1];
}
