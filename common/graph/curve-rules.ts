/**
 * The curve editor's view of a numeric parameter: an ordered list of rules (filter + gradient
 * anchors), the last one unfiltered, converted to and from the recipe's ParamSpec.
 */
import type { FilteredValue, ParamSpec } from '../methods/types.js';

export interface CurveRule {
  /** '' = every tensor (the default rule). */
  filter: string;
  anchors: number[];
}

export function specToRules(spec: ParamSpec | undefined, fallback: number): CurveRule[] {
  if (spec === undefined) return [{ filter: '', anchors: [fallback] }];
  if (typeof spec === 'number') return [{ filter: '', anchors: [spec] }];
  if (Array.isArray(spec) && spec.every((v) => typeof v === 'number')) return [{ filter: '', anchors: [...(spec as number[])] }];
  if (Array.isArray(spec)) {
    const rules = (spec as FilteredValue[]).map((c) => ({
      filter: c.filter === undefined || c.filter === '*' ? '' : c.filter,
      anchors: Array.isArray(c.value) ? [...c.value] : typeof c.value === 'number' ? [c.value] : [fallback],
    }));
    if (!rules.some((r) => r.filter === '')) rules.push({ filter: '', anchors: [fallback] });
    return rules;
  }
  return [{ filter: '', anchors: [fallback] }];
}

export function rulesToSpec(rules: readonly CurveRule[]): ParamSpec {
  const value = (a: number[]): number | number[] => (a.length === 1 ? a[0] : [...a]);
  if (rules.length === 1 && rules[0].filter === '') return value(rules[0].anchors);
  return rules.map((r): FilteredValue => (r.filter ? { filter: r.filter, value: value(r.anchors) } : { value: value(r.anchors) }));
}
