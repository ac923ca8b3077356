/**
 * Where a merge node input's per-model parameter (weight, density, ε, γ, ...) takes its value
 * from, mergekit's precedence (spec §1): the input's own entry, else the node's (a recipe's
 * top-level `parameters:`, the default of every model that does not set its own), else the
 * method's default. Filters and gradients stay as written: a level whose filters do not match a
 * tensor hands that tensor on to the next level when merged (the engine resolves per tensor).
 */
import type { ParamDescriptor, ParamSpec } from '../methods/types.js';

export type ParamOrigin = 'model' | 'node' | 'default' | 'none';

export interface EffectiveParam {
  /** The value the input's field shows: its own, the node's, else the method's default (undefined: required, none given). */
  value: ParamSpec | undefined;
  from: ParamOrigin;
}

/** `own`: the input's own value of `param`; `node`: the merge node's. */
export function effectiveModelParam(param: Pick<ParamDescriptor, 'default'>, own: ParamSpec | undefined, node: ParamSpec | undefined): EffectiveParam {
  if (own !== undefined) return { value: own, from: 'model' };
  if (node !== undefined) return { value: node, from: 'node' };
  return param.default === undefined ? { value: undefined, from: 'none' } : { value: param.default, from: 'default' };
}
