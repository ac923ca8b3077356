/**
 * One parameter value as written in YAML → ParamSpec (common/methods/types.ts): a scalar, a
 * gradient (list of numbers), or a list of {filter, value} conditionals whose value may itself be
 * a gradient. Anything else is a RecipeError at the value's line.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { FilteredValue, GradientValue, ParamSpec } from '../../../common/methods/types.js';
import type { ImportContext } from './import-context.js';

/** undefined for a null value (`weight:` with nothing after it), after warning. */
export function paramSpecFromYaml(ctx: ImportContext, name: string, node: Node | null): ParamSpec | undefined {
  if (node === null || (isScalar(node) && node.value === null)) {
    ctx.warn(node, `parameter '${name}' has no value: it is ignored`, { key: name });
    return undefined;
  }
  if (isScalar(node)) return scalarValue(ctx, name, node);
  if (isSeq(node)) {
    const items = node.items as (Node | null)[];
    if (items.length === 0) ctx.fail(node, `parameter '${name}' is an empty list`);
    if (items.every((i) => isMap(i))) return items.map((i) => conditional(ctx, name, i as Node));
    return gradient(ctx, name, node, items);
  }
  return ctx.fail(node, `parameter '${name}' must be a number, true/false, a word, a list of numbers or a list of {filter, value}`);
}

function scalarValue(ctx: ImportContext, name: string, node: Node): number | boolean | string {
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  return ctx.fail(node, `parameter '${name}' has a value of an unsupported kind`);
}

function gradient(ctx: ImportContext, name: string, node: Node, items: (Node | null)[]): number[] {
  return items.map((i) => {
    const v = i && isScalar(i) ? i.value : undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    return ctx.fail(i ?? node, `parameter '${name}': a list must hold only numbers (a gradient) or only {filter, value} entries`);
  });
}

function conditional(ctx: ImportContext, name: string, node: Node): FilteredValue {
  if (!isMap(node)) return ctx.fail(node, `parameter '${name}': expected a {filter, value} entry`);
  let filter: string | undefined;
  let value: FilteredValue['value'] | undefined;
  for (const pair of node.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'filter') {
      const f = pair.value && isScalar(pair.value) ? pair.value.value : undefined;
      if (f !== null && f !== undefined) filter = String(f);
    } else if (key === 'value') {
      value = conditionalValue(ctx, name, pair.value ?? pair.key);
    } else {
      ctx.fail(pair.key, `parameter '${name}': unknown key '${key}' in a filter entry (expected filter and value)`);
    }
  }
  if (value === undefined) return ctx.fail(node, `parameter '${name}': a filter entry has no value`);
  return filter === undefined ? { value } : { filter, value };
}

function conditionalValue(ctx: ImportContext, name: string, node: Node | null): GradientValue | boolean | string {
  if (node && isSeq(node)) {
    const items = node.items as (Node | null)[];
    if (items.length === 0) ctx.fail(node, `parameter '${name}': empty list in a filter entry`);
    return gradient(ctx, name, node, items);
  }
  if (node && isScalar(node) && node.value !== null) return scalarValue(ctx, name, node);
  return ctx.fail(node, `parameter '${name}': a filter entry's value must be a number, a list of numbers, true/false or a word`);
}
