/**
 * A task-vector input (a Task Vector, Scale or Add chain) into a merge needs no weight of its own:
 * with none set on it or on the node for all models, it enters at weight 1 times its chain's
 * coefficient (task-vector-weight.ts). A model or an earlier merge stage has no such default.
 */
import type { NodeData } from './project-schema.js';
import { isStageNode } from './chain.js';

export const IMPLIED_WEIGHT = 1;

/** Whether an input from a node with this data has an implied weight. */
export function hasImpliedWeight(source: NodeData | undefined): boolean {
  return source !== undefined && source.kind !== 'model' && !isStageNode(source);
}
