/**
 * What a probe of a merge node computes on: the node's recipe as it would be written (through its
 * Output when one is connected, so dtype rounding and seed match the run), the sweepable axes of
 * its numeric sliders (a global parameter, or one input's own: its index in the recipe's models),
 * and, for a two-input node, the straight line between its two inputs.
 */
import { getMethod } from '../methods/registry.js';
import type { NumberParam, ParamSpec } from '../methods/types.js';
import type { MergeRecipe } from '../recipe/types.js';
import { compileMerge, compileOutput } from './compile.js';
import { feedingMerges } from './chain.js';
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';
import { nodeLabel } from './node-label.js';
import { reduceTaskVector } from './reduce-task-vector.js';

export type Outcome<T> = ({ ok: true } & T) | { ok: false; nodeId: string; reason: string };

/**
 * Why a barrier preview of the node cannot be computed, or null when it can: a Layer assembly
 * (its output is a stack of layers, not a point on a slider or a line), and a node fed by another
 * merge or assembly (a chain: previews read their inputs from disk).
 */
export function previewRefusal(g: GraphLike, nodeId: string): string | null {
  if (nodeById(g, nodeId)?.data.kind === 'layerAssembly') {
    return 'A Layer assembly cannot be previewed: it stacks layers rather than blending along a slider. Preview a merge feeding it, or run it and load its output as a Model.';
  }
  if (feedingMerges(g, nodeId).length > 0) {
    return 'Previews read a merge’s inputs from disk, and this one is fed by another merge or Layer assembly (a chain): preview the earlier merge, or run the chain and load its output as a Model.';
  }
  return null;
}

/** The merge node's recipe as its (single) Output would write it; without an Output, the bare merge. */
export function previewRecipe(g: GraphLike, mergeNodeId: string): Outcome<{ recipe: MergeRecipe; outputNodeId: string | null }> {
  const refused = previewRefusal(g, mergeNodeId);
  if (refused) return { ok: false, nodeId: mergeNodeId, reason: refused };
  const outputs = g.edges
    .filter((e) => e.source === mergeNodeId)
    .map((e) => nodeById(g, e.target))
    .filter((n) => n?.data.kind === 'output');
  if (outputs.length === 1 && outputs[0]) {
    const c = compileOutput(g, outputs[0].id);
    if (c.ok) return { ok: true, recipe: c.job.recipe, outputNodeId: outputs[0].id };
  }
  const m = compileMerge(g, mergeNodeId);
  if (!m.ok) return m;
  return { ok: true, recipe: m.recipe, outputNodeId: null };
}

/** Index in the recipe's models of the entry an input of the merge node becomes. */
export function recipeModelIndex(g: GraphLike, mergeNodeId: string, sourceId: string, param: string): Outcome<{ index: number }> {
  const m = compileMerge(g, mergeNodeId);
  if (!m.ok) return m;
  const edges = edgesInto(g, mergeNodeId, 'models');
  let entries = 0;
  let found: { at: number; count: number; coefficient: number } | null = null;
  for (const e of edges) {
    const src = nodeById(g, e.source);
    if (!src) continue;
    if (src.data.kind === 'taskVector' || src.data.kind === 'scale' || src.data.kind === 'add') {
      const r = reduceTaskVector(g, src.id);
      if (!r.ok) return r;
      if (src.id === sourceId) found = { at: entries, count: r.value.terms.length, coefficient: r.value.terms[0]?.coefficient ?? 1 };
      entries += r.value.terms.length;
    } else {
      if (src.id === sourceId) found = { at: entries, count: 1, coefficient: 1 };
      entries += 1;
    }
  }
  if (!found) return { ok: false, nodeId: mergeNodeId, reason: 'That node is not an input of this merge.' };
  if (found.count !== 1) return { ok: false, nodeId: mergeNodeId, reason: 'This input is a sum of task vectors: sweep each task vector on its own input.' };
  if (param === 'weight' && found.coefficient !== 1) {
    return { ok: false, nodeId: mergeNodeId, reason: 'This task vector is scaled (α ≠ 1): its weight slider is not the weight the merge sees. Sweep α = 1 inputs.' };
  }
  const offset = (m.recipe.models?.length ?? 0) - entries;
  return { ok: true, index: offset + found.at };
}

export interface SliderTarget {
  kind: 'slider';
  param: string;
  /** The input whose own parameter it is; null for a global one. */
  sourceId: string | null;
  /** "λ (scale)" or "Density of Model math". */
  label: string;
}

export interface LineTarget {
  kind: 'interpolate';
  /** Model references as in the recipe (relative ones resolve against the project folder). */
  a: string;
  b: string;
  label: string;
}

export type PreviewTarget = SliderTarget | LineTarget;

export function targetKey(t: PreviewTarget): string {
  return t.kind === 'slider' ? `slider:${t.param}:${t.sourceId ?? ''}` : 'interpolate';
}

/** Every path a barrier preview of the merge node can take: each numeric slider, and A→B for a two-input node. */
export function previewTargets(g: GraphLike, mergeNodeId: string): PreviewTarget[] {
  const node = nodeById(g, mergeNodeId);
  if (!node || node.data.kind !== 'merge') return [];
  const method = getMethod(node.data.method);
  if (!method) return [];
  const out: PreviewTarget[] = [];
  const numeric = method.params.filter((p): p is NumberParam => p.type === 'number');
  for (const p of numeric.filter((q) => q.scope === 'global')) out.push({ kind: 'slider', param: p.name, sourceId: null, label: p.label });
  const inputs = edgesInto(g, mergeNodeId, 'models');
  for (const e of inputs) {
    const src = nodeById(g, e.source);
    if (!src) continue;
    for (const p of numeric.filter((q) => q.scope === 'model')) out.push({ kind: 'slider', param: p.name, sourceId: src.id, label: `${p.label} of ${nodeLabel(src.data)}` });
  }
  const m = compileMerge(g, mergeNodeId);
  if (m.ok) {
    const models = m.recipe.models ?? [];
    const twoInputs = method.baseAmongInputs ? models.length === 2 : !m.recipe.baseModel && models.length === 2;
    if (twoInputs) {
      const [a, b] = models;
      const name = (ref: string) => ref.split(/[\\/]+/).filter(Boolean).pop() ?? ref;
      out.push({ kind: 'interpolate', a: a.model, b: b.model, label: `Straight line ${name(a.model)} → ${name(b.model)}` });
    }
  }
  return out;
}

/** The target a node's "Preview barrier" starts with: a global slider with labelled ends (t), else the A→B line, else the first slider. */
export function defaultTarget(g: GraphLike, mergeNodeId: string): PreviewTarget | null {
  const targets = previewTargets(g, mergeNodeId);
  const node = nodeById(g, mergeNodeId);
  const method = node?.data.kind === 'merge' ? getMethod(node.data.method) : undefined;
  const ended = targets.find((t) => t.kind === 'slider' && t.sourceId === null && method?.params.find((p) => p.name === t.param && p.type === 'number' && p.endLabels));
  return ended ?? targets.find((t) => t.kind === 'interpolate') ?? targets.find((t) => t.kind === 'slider' && t.sourceId === null) ?? targets[0] ?? null;
}

/** The parameter's current value on the node (a number, or what the slider shows: the default). */
export function sliderValue(g: GraphLike, mergeNodeId: string, t: SliderTarget): ParamSpec | undefined {
  const node = nodeById(g, mergeNodeId);
  if (!node || node.data.kind !== 'merge') return undefined;
  const own = t.sourceId ? node.data.modelParams[t.sourceId]?.[t.param] : node.data.params[t.param];
  if (own !== undefined) return own;
  const p = getMethod(node.data.method)?.params.find((q) => q.name === t.param);
  return p?.type === 'number' ? p.default : undefined;
}

/** The recipe with the axis's parameter set to `value` (as moving the slider does). */
export function withAxisValue(recipe: MergeRecipe, axis: { param: string; model?: number }, value: number): MergeRecipe {
  if (axis.model === undefined) return { ...recipe, parameters: { ...recipe.parameters, [axis.param]: value } };
  const models = (recipe.models ?? []).map((m, i) => (i === axis.model ? { ...m, parameters: { ...m.parameters, [axis.param]: value } } : m));
  return { ...recipe, models };
}

/** JSON with sorted keys: equal recipes give equal strings. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The axis's value in a recipe: a scalar, else undefined (absent: the method's default applies; per-layer values are not a point). */
export function axisValue(recipe: MergeRecipe, axis: { param: string; model?: number }): ParamSpec | undefined {
  return axis.model === undefined ? recipe.parameters?.[axis.param] : recipe.models?.[axis.model]?.parameters?.[axis.param];
}

/**
 * Whether `written` is the preview's `recipe` at the axis value `value`: the written axis value
 * is `value` (or absent with `value` the default), and everything else is the same.
 */
export function sameSetting(recipe: MergeRecipe, axis: { param: string; model?: number }, value: number, written: MergeRecipe, defaultValue?: number): boolean {
  const w = axisValue(written, axis);
  if (!(w === value || (w === undefined && defaultValue === value))) return false;
  return canonicalJson(withAxisValue(recipe, axis, value)) === canonicalJson(withAxisValue(written, axis, value));
}
