/**
 * A base also wired to a merge's Models (a mergekit recipe listing its base_model among `models:`,
 * usually with no parameters): for a method that merges its base, mergekit and the engine
 * (plan-slices.ts) take the first such listing as the base only — its task vector is zero and its
 * parameters are ignored — so it needs no weight. SLERP-like methods, whose base is one of their
 * two inputs, and methods that merge no base (linear, Karcher...: the base only donates config and
 * tokenizer) do not have one.
 */
import { mergesBase } from '../recipe/base-model.js';
import type { MethodDescriptor } from '../methods/types.js';
import { edgesInto, type GraphEdgeLike, type GraphLike } from './graph-like.js';

/** The Models edge that is the base listed again, if any (the first from the Base input's node). */
export function listedBaseEdge(g: GraphLike, mergeNodeId: string, method: Pick<MethodDescriptor, 'id' | 'baseAmongInputs'>): GraphEdgeLike | undefined {
  if (method.baseAmongInputs || !mergesBase(method.id)) return undefined;
  const [base] = edgesInto(g, mergeNodeId, 'base');
  if (!base) return undefined;
  return edgesInto(g, mergeNodeId, 'models').find((e) => e.source === base.source);
}
