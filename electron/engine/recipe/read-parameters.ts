/** A `parameters:` block → ParamSpecMap, each key checked against the method's descriptor. */
import { isMap, type Node } from 'yaml';
import type { MethodDescriptor, ParamSpecMap } from '../../../common/methods/types.js';
import type { ImportContext } from './import-context.js';
import { checkParamName, type ParamLevel } from './param-names-check.js';
import { paramSpecFromYaml } from './param-spec-from-yaml.js';
import { isNullNode, keyOf, pairsOf } from './yaml-nodes.js';

/** `keyNode` is the `parameters` key (for the warning's position). undefined when empty. */
export function readParameters(
  ctx: ImportContext,
  method: MethodDescriptor,
  keyNode: Node,
  node: Node | null,
  level: ParamLevel,
): ParamSpecMap | undefined {
  if (isNullNode(node) || (isMap(node) && node.items.length === 0)) {
    ctx.warn(keyNode, "empty 'parameters' block: nothing under it is read (is the indentation of the lines below it right?)", {
      key: 'parameters',
    });
    return undefined;
  }
  if (!isMap(node)) return ctx.fail(node, "'parameters' must be a mapping of parameter names to values");
  const out: ParamSpecMap = {};
  for (const pair of pairsOf(node)) {
    const name = keyOf(pair);
    checkParamName(ctx, method, pair.key, level);
    const spec = paramSpecFromYaml(ctx, name, pair.value);
    if (spec !== undefined) out[name] = spec;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
