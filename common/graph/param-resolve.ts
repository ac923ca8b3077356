/**
 * Parameter values across layers, with mergekit's semantics exactly (spec/methods.md §1):
 * gradients interpolate anchors over the layer position t, filters are substrings, first match wins.
 */
import type { FilteredValue, GradientValue, ParamSpec } from '../methods/types.js';

/** Gradient value at t ∈ [0, 1] for anchors s_0..s_{K−1}. */
export function gradientAt(anchors: readonly number[], t: number): number {
  const k = anchors.length;
  if (k === 0) throw new Error('a gradient needs at least one anchor');
  if (k === 1) return anchors[0];
  const x = t * (k - 1);
  const i0 = Math.floor(x);
  const i1 = Math.min(k - 1, i0 + 1);
  const f = x - i0;
  return (1 - f) * anchors[i0] + f * anchors[i1];
}

/** t of layer i in a stack of L layers (a one-layer stack gets t = 1); tensors outside the stack use t = 0. */
export function layerPosition(layer: number | null, layerCount: number): number {
  if (layer === null) return 0;
  if (layerCount <= 1) return 1;
  return layer / (layerCount - 1);
}

export function filterMatches(filter: string | undefined, tensorName: string): boolean {
  return filter === undefined || filter === '*' || tensorName.includes(filter);
}

function isFilteredList(spec: ParamSpec): spec is FilteredValue[] {
  return Array.isArray(spec) && spec.length > 0 && typeof spec[0] === 'object';
}

function valueOf(v: GradientValue | boolean | string, t: number): number | boolean | string {
  return Array.isArray(v) ? gradientAt(v, t) : v;
}

/** The value a parameter takes for one tensor, or undefined when no conditional matches. */
export function resolveParam(spec: ParamSpec, tensorName: string, t: number): number | boolean | string | undefined {
  if (isFilteredList(spec)) {
    const hit = spec.find((c) => filterMatches(c.filter, tensorName));
    return hit === undefined ? undefined : valueOf(hit.value, t);
  }
  return valueOf(spec as GradientValue | boolean | string, t);
}

/** Every number written in a numeric parameter (scalars, anchors, filtered values): for range checks. */
export function numbersIn(spec: ParamSpec): number[] {
  if (typeof spec === 'number') return [spec];
  if (Array.isArray(spec)) {
    if (isFilteredList(spec)) return spec.flatMap((c) => (typeof c.value === 'boolean' || typeof c.value === 'string' ? [] : numbersIn(c.value)));
    return spec as number[];
  }
  return [];
}
