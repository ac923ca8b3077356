/** Validation of the whole graph before running: one Validity per node, shown on the node concerned. */
import type { CheckpointSummary } from '../contract/checkpoint.js';
import { getMethod } from '../methods/registry.js';
import type { ParamSpec } from '../methods/types.js';
import { compileMerge, compileOutput } from './compile.js';
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';
import { checkHeaderCompat, type NamedSummary } from './header-compat.js';
import { nodeLabel } from './node-label.js';
import { reduceTaskVector } from './reduce-task-vector.js';
import { validateParams } from './validate-params.js';
import { VALID, invalid, type Validity } from './validity.js';
import { checkWeightSum, syntheticSamples } from './weight-sum.js';
import { validateStageNode } from './validate-stages.js';
import { validateLayerAssembly } from './validate-slices.js';
import { isStageNode, upstreamMerges } from './chain.js';
import { listedBaseEdge } from './listed-base.js';
import { hasImpliedWeight } from './implied-weight.js';

/** What is known of a model path: its header summary, a read error, or nothing yet. */
export type HeaderState = { state: 'ok'; summary: CheckpointSummary } | { state: 'error'; message: string } | { state: 'pending' };
export type HeaderLookup = (path: string) => HeaderState | undefined;

export type GraphValidity = Record<string, Validity>;

/** Kept in the graph (and exported), refused when run, as the engine's planner does. */
export const UNION_REFUSED = "Tokenizer source 'union' (a joint vocabulary) is not supported yet: choose 'base' or a model's tokenizer to run.";

function validateMergeNode(g: GraphLike, id: string, headers: HeaderLookup, result: GraphValidity): void {
  const node = nodeById(g, id);
  if (!node || node.data.kind !== 'merge') return;
  const method = getMethod(node.data.method);
  if (!method) {
    result[id] = invalid(`Unknown merge method '${node.data.method}'.`);
    return;
  }
  const chain = upstreamMerges(g, id);
  if (!chain.ok) {
    result[id] = invalid(chain.reason);
    return;
  }
  const compiled = compileMerge(g, id);
  if (!compiled.ok) {
    // Connected but incomplete inputs are reported on the input node; the merge says what it misses.
    result[compiled.nodeId] = invalid(compiled.reason);
    if (compiled.nodeId !== id) result[id] = invalid(`An input is not ready: ${compiled.reason}`);
    return;
  }
  // A base listed again among the models is merged as the base only: no weight of its own is needed.
  const listedBase = listedBaseEdge(g, id, method);
  const perModel = edgesInto(g, id, 'models')
    .filter((e) => e !== listedBase)
    .map((e) => {
      const src = nodeById(g, e.source);
      return {
        name: src ? nodeLabel(src.data) : e.source,
        params: node.data.kind === 'merge' ? (node.data.modelParams[e.source] ?? {}) : {},
        weightImplied: hasImpliedWeight(src?.data),
      };
    });
  const params = validateParams(method, node.data.params, perModel);
  if (!params.ok) {
    result[id] = params;
    return;
  }
  const inputs: NamedSummary[] = [];
  for (const mid of compiled.modelNodeIds) {
    const m = nodeById(g, mid);
    if (!m || m.data.kind !== 'model') continue;
    const h = headers(m.data.path);
    if (h?.state === 'ok') inputs.push({ name: nodeLabel(m.data), summary: h.summary });
  }
  const compat = checkHeaderCompat(inputs);
  if (!compat.ok) {
    result[id] = compat;
    return;
  }
  // Each input's weight: its own, else the node's (the default every input inherits).
  const shared = compiled.recipe.parameters?.weight;
  const listed = listedBase === undefined ? -1 : (compiled.recipe.models ?? []).findIndex((m) => m.model === compiled.recipe.baseModel);
  const weights: ParamSpec[][] = (compiled.recipe.models ?? [])
    .filter((_, i) => i !== listed)
    .slice(method.baseAmongInputs ? 1 : 0)
    .map((m) => [m.parameters?.weight, shared].filter((w): w is ParamSpec => w !== undefined))
    .filter((levels) => levels.length > 0);
  const known = inputs[0]?.summary;
  const { samples, layerCount } = known
    ? { samples: known.tensors.map((t) => ({ name: t.name, layer: t.layer })), layerCount: known.layerCount ?? 1 }
    : syntheticSamples(weights.flat());
  const sum = checkWeightSum(method, node.data.params, weights, samples, layerCount);
  result[id] = sum;
}

export function validateGraph(g: GraphLike, headers: HeaderLookup): GraphValidity {
  const result: GraphValidity = {};
  for (const n of g.nodes) result[n.id] = VALID;
  for (const n of g.nodes) {
    if (n.data.kind === 'model') {
      if (!n.data.path.trim()) result[n.id] = invalid('Choose a model folder or file.');
      else {
        const h = headers(n.data.path);
        if (h?.state === 'error') result[n.id] = invalid(h.message);
      }
    }
  }
  for (const n of g.nodes) {
    if (n.data.kind === 'taskVector' || n.data.kind === 'scale' || n.data.kind === 'add') {
      const r = reduceTaskVector(g, n.id);
      if (!r.ok && result[r.nodeId]?.ok !== false) result[r.nodeId] = invalid(r.reason);
    }
  }
  for (const n of g.nodes) {
    if (n.data.kind === 'align' || n.data.kind === 'fisher' || n.data.kind === 'lora') {
      const v = validateStageNode(g, n.id);
      if (!v.ok) result[n.id] = v;
    }
  }
  for (const n of g.nodes) if (n.data.kind === 'merge') validateMergeNode(g, n.id, headers, result);
  for (const n of g.nodes) {
    if (n.data.kind !== 'layerAssembly') continue;
    const chain = upstreamMerges(g, n.id);
    if (!chain.ok) result[n.id] = invalid(chain.reason);
    else Object.assign(result, validateLayerAssembly(g, n.id, headers));
  }
  // A stage's own tokenizer source: 'union' is refused on its node as on the Output.
  for (const n of g.nodes) if (isStageNode(n.data) && n.data.tokenizerSource?.trim() === 'union' && result[n.id].ok) result[n.id] = invalid(UNION_REFUSED);
  for (const n of g.nodes) {
    if (n.data.kind !== 'output') continue;
    const c = compileOutput(g, n.id);
    if (!c.ok && c.nodeId === n.id) result[n.id] = invalid(c.reason);
    else if (c.ok && c.job.recipe.tokenizerSource === 'union') result[n.id] = invalid(UNION_REFUSED);
  }
  return result;
}
