/** Multiply a numeric parameter value (scalar, gradient or filtered list) by a constant. */
import type { FilteredValue, ParamSpec } from '../methods/types.js';

export function scaleParamSpec(spec: ParamSpec, factor: number): ParamSpec {
  if (factor === 1) return spec;
  if (typeof spec === 'number') return spec * factor;
  if (Array.isArray(spec)) {
    if (spec.every((v) => typeof v === 'number')) return (spec as number[]).map((v) => v * factor);
    return (spec as FilteredValue[]).map((f) => ({ ...f, value: scaleParamSpec(f.value as ParamSpec, factor) as FilteredValue['value'] }));
  }
  return spec;
}
