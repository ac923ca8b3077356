/**
 * The weight a task-vector term c·(x − b) (a Task Vector, Scale or Add chain into a merge) enters
 * the recipe with. mergekit's precedence as for any input (inherited-param.ts): its own weight,
 * else the one set for all models on the node, else the method's default; a task vector with none
 * of these has weight 1 (its own scale). The chain's coefficient c multiplies whichever applies.
 */
import type { ParamDescriptor, ParamSpec } from '../methods/types.js';
import { effectiveModelParam } from './inherited-param.js';
import { scaleParamSpec } from './scale-param.js';
import { IMPLIED_WEIGHT } from './implied-weight.js';

/**
 * `weightParam`: the method's weight descriptor (undefined: the method declares none, and the term
 * is written at weight c). Undefined result: the term sets no weight of its own and inherits the
 * node's as it is (c = 1), from the recipe's top level as every other input does.
 */
export function taskVectorTermWeight(
  weightParam: Pick<ParamDescriptor, 'default'> | undefined,
  own: ParamSpec | undefined,
  node: ParamSpec | undefined,
  coefficient: number,
): ParamSpec | undefined {
  if (!weightParam) return scaleParamSpec(own ?? IMPLIED_WEIGHT, coefficient);
  const eff = effectiveModelParam(weightParam, own, node);
  if (eff.from === 'node' && coefficient === 1) return undefined;
  return scaleParamSpec(eff.value ?? IMPLIED_WEIGHT, coefficient);
}
