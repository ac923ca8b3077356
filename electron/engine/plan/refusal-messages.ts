/**
 * What the merge refuses, worded once: the planner reports these as problems, and the importer
 * (import-refusals.ts) warns with the same words when a recipe becomes a graph.
 */

export const UNION_TOKENIZER_REFUSED = "tokenizer_source 'union' (building a joint vocabulary) is not supported yet: use 'base' or a model's tokenizer";

/** A SLERP-like method (its base one of its two inputs) whose base_model is not among them. `where`: " (slice 2)" or "". */
export function baseNotAmongInputs(method: string, base: string, where: string): string {
  return `${method}'s base_model '${base}' must be one of its two inputs${where}`;
}
