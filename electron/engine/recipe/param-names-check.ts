/**
 * Parameter keys checked against the method's descriptor (common/methods/registry.ts), with
 * mergekit's rules: a model's own entry only feeds per-model parameters (mergekit ignores global
 * ones there), while a slice's or the top-level `parameters` feed both kinds.
 */
import { isScalar, type Node } from 'yaml';
import type { MethodDescriptor } from '../../../common/methods/types.js';
import type { ImportContext } from './import-context.js';
import { nearestName } from './nearest-name.js';

export type ParamLevel = 'model' | 'slice' | 'global';

export function checkParamName(ctx: ImportContext, method: MethodDescriptor, keyNode: Node, level: ParamLevel): void {
  const name = isScalar(keyNode) ? String(keyNode.value) : '';
  const desc = method.params.find((p) => p.name === name);
  if (!desc) {
    const suggestion = nearestName(name, method.params.map((p) => p.name));
    const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
    ctx.warn(keyNode, `'${name}' is not a parameter of ${method.mergekitName}: it is ignored${hint}`, { key: name, suggestion });
    return;
  }
  if (level === 'model' && desc.scope === 'global') {
    ctx.warn(keyNode, `'${name}' is a global parameter of ${method.mergekitName}: in a model's parameters it is ignored (move it to the top-level parameters)`, {
      key: name,
    });
  }
}
