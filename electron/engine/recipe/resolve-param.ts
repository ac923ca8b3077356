/**
 * Parameter values across layers, mergekit's semantics exactly (spec/methods.md §1): gradients
 * interpolate linearly between evenly spaced anchors; conditionals take the first entry whose
 * filter is absent, '*', or a substring of the tensor name; no match means "ask the next level".
 */
import type { ParamSpec, ResolvedValue } from '../../../common/methods/types.js';

/** Value of a gradient with anchors s_0..s_{K−1} at position t ∈ [0, 1]. */
export function gradientAt(anchors: readonly number[], t: number): number {
  const x = t * (anchors.length - 1);
  const i0 = Math.floor(x);
  const i1 = Math.min(anchors.length - 1, i0 + 1);
  const f = x - i0;
  return (1 - f) * anchors[i0] + f * anchors[i1];
}

/** mergekit's filter rule: absent (or empty), '*', or a plain substring of the name. */
export function filterMatches(filter: string | undefined, tensorName: string): boolean {
  return !filter || filter === '*' || tensorName.includes(filter);
}

/** The value of `spec` for one tensor at layer position t; undefined when no conditional matches. */
export function resolveParam(spec: ParamSpec, tensorName: string, t: number): ResolvedValue | undefined {
  if (!Array.isArray(spec)) return spec;
  if (spec.length === 0) return undefined;
  if (spec.every((v): v is number => typeof v === 'number')) return gradientAt(spec, t);
  for (const cond of spec) {
    if (typeof cond === 'number') continue;
    if (!filterMatches(cond.filter, tensorName)) continue;
    return Array.isArray(cond.value) ? gradientAt(cond.value, t) : cond.value;
  }
  return undefined;
}

/**
 * The first level that gives a value, highest precedence first (model entry, slice, top level):
 * undefined when none does (the caller then uses the method's default).
 */
export function resolveFirst(levels: readonly (ParamSpec | undefined)[], tensorName: string, t: number): ResolvedValue | undefined {
  for (const spec of levels) {
    if (spec === undefined) continue;
    const v = resolveParam(spec, tensorName, t);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Layer position t of layer `offset` within a slice of `length` layers (a one-layer slice gets 1). */
export function layerPosition(offset: number, length: number): number {
  return length > 1 ? offset / (length - 1) : 1;
}
