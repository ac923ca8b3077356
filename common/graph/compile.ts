/**
 * Graph → MergeRecipe: an Output node, the merge node feeding it and that node's inputs compile to
 * one recipe (a Layer assembly node compiles to the `slices:` form, compile-slices.ts). Task Vector / Scale / Add chains become task-arithmetic weights (reduce-task-vector.ts).
 */
import { getMethod } from '../methods/registry.js';
import type { MethodDescriptor, ParamSpecMap } from '../methods/types.js';
import type { MergeRecipe, ModelSpec } from '../recipe/types.js';
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';
import { nodeLabel } from './node-label.js';
import type { MergeNodeData, OutputNodeData } from './project-schema.js';
import { reduceTaskVector } from './reduce-task-vector.js';
import { scaleParamSpec } from './scale-param.js';
import { modelSource } from './model-source.js';
import { pairFishers } from './fisher-inputs.js';
import { compileLayerAssembly } from './compile-slices.js';

export interface CompiledJob {
  outputNodeId: string;
  mergeNodeId: string;
  recipe: MergeRecipe;
  out: string;
  force: boolean;
  shardSize: number;
  seed: number;
  /** Model node ids in recipe order (base first when present): for header checks and errors. */
  modelNodeIds: string[];
}

export type CompileResult = { ok: true; job: CompiledJob } | { ok: false; nodeId: string; reason: string };

function fail(nodeId: string, reason: string): CompileResult {
  return { ok: false, nodeId, reason };
}

/** Only the parameters the method declares at that scope (others are ignored, not sent). */
function pick(params: ParamSpecMap | undefined, method: MethodDescriptor, scope: 'model' | 'global'): ParamSpecMap {
  const out: ParamSpecMap = {};
  if (!params) return out;
  for (const p of method.params) if (p.scope === scope && params[p.name] !== undefined) out[p.name] = params[p.name];
  return out;
}

function withParams(model: string, parameters: ParamSpecMap, lora?: string): ModelSpec {
  const spec: ModelSpec = lora ? { model, lora } : { model };
  return Object.keys(parameters).length ? { ...spec, parameters } : spec;
}

export function compileMerge(
  g: GraphLike,
  mergeNodeId: string,
): { ok: true; recipe: MergeRecipe; modelNodeIds: string[] } | { ok: false; nodeId: string; reason: string } {
  const node = nodeById(g, mergeNodeId);
  if (!node || node.data.kind !== 'merge') return { ok: false, nodeId: mergeNodeId, reason: 'Not a merge node.' };
  const data: MergeNodeData = node.data;
  const method = getMethod(data.method);
  if (!method) return { ok: false, nodeId: mergeNodeId, reason: `Unknown merge method '${data.method}'.` };

  let base: { nodeId: string; path: string } | undefined;
  const [baseEdge] = edgesInto(g, mergeNodeId, 'base');
  if (baseEdge && method.base !== 'none') {
    const src = nodeById(g, baseEdge.source);
    if (!src || (src.data.kind !== 'model' && src.data.kind !== 'align')) return { ok: false, nodeId: mergeNodeId, reason: 'The base must be a Model (or Align) node.' };
    const b = modelSource(g, src.id);
    if (!b.ok) return b;
    base = { nodeId: src.id, path: b.spec.model };
  }

  const models: ModelSpec[] = [];
  const modelNodeIds: string[] = [];
  for (const e of edgesInto(g, mergeNodeId, 'models')) {
    const src = nodeById(g, e.source);
    if (!src) continue;
    const own = pick(data.modelParams[src.id], method, 'model');
    if (src.data.kind === 'model') {
      if (!src.data.path) return { ok: false, nodeId: src.id, reason: 'Choose a model folder or file.' };
      models.push(withParams(src.data.path, own));
      modelNodeIds.push(src.id);
      continue;
    }
    if (src.data.kind === 'align' || src.data.kind === 'lora') {
      const m = modelSource(g, src.id);
      if (!m.ok) return m;
      if (src.data.kind === 'lora' && src.data.mode === 'taskVector') {
        // The adapter's update over its base: base + adapter as the model, that base as the merge's base.
        const [be] = edgesInto(g, src.id, 'base');
        if (!base) base = { nodeId: be?.source ?? src.id, path: m.spec.model };
        else if (base.path !== m.spec.model) {
          return { ok: false, nodeId: mergeNodeId, reason: `The LoRA adapter is over ${m.spec.model}, but this merge's base is ${base.path}.` };
        }
      }
      models.push(withParams(m.spec.model, own, m.spec.lora));
      modelNodeIds.push(src.id);
      continue;
    }
    const reduced = reduceTaskVector(g, src.id);
    if (!reduced.ok) return reduced;
    const tv = reduced.value;
    if (!base) base = tv.base;
    else if (tv.base.path !== base.path) {
      return { ok: false, nodeId: mergeNodeId, reason: `A task vector is taken over ${tv.base.path}, but this merge's base is ${base.path}.` };
    }
    if (tv.terms.length > 1 && method.id !== 'task_arithmetic') {
      return {
        ok: false,
        nodeId: mergeNodeId,
        reason: `${method.label} is not linear: only Task arithmetic can take a sum of task vectors. Connect the task vectors separately.`,
      };
    }
    for (const term of tv.terms) {
      models.push(withParams(term.path, { ...own, weight: scaleParamSpec(own.weight ?? 1, term.coefficient) }));
      modelNodeIds.push(term.modelNodeId);
    }
  }

  if (method.base === 'required' && !base) {
    return { ok: false, nodeId: mergeNodeId, reason: `${method.label} needs a base model: connect a Model to Base.` };
  }
  if (models.length < method.minModels) {
    const n = method.minModels;
    return { ok: false, nodeId: mergeNodeId, reason: `${method.label} needs at least ${n} model${n === 1 ? '' : 's'}${method.base === 'none' ? '' : ' besides the base'}.` };
  }
  if (method.maxModels !== undefined && models.length > method.maxModels) {
    return { ok: false, nodeId: mergeNodeId, reason: `${method.label} takes at most ${method.maxModels} model${method.maxModels === 1 ? '' : 's'} besides the base.` };
  }

  const recipe: MergeRecipe = { mergeMethod: method.id };
  if (base) recipe.baseModel = base.path;
  // SLERP-like methods list the base among their two inputs, as mergekit recipes do.
  recipe.models = method.baseAmongInputs && base ? [{ model: base.path }, ...models] : models;
  const globals = pick(data.params, method, 'global');
  if (Object.keys(globals).length) recipe.parameters = globals;
  const ids = base ? [base.nodeId, ...modelNodeIds] : modelNodeIds;
  if (method.id === 'fisher') {
    // Each model names its Fisher file in the recipe, which runs like any merge (planner, workers, events).
    const f = pairFishers(g, mergeNodeId, recipe);
    if (!f.ok) return f;
    recipe.models = recipe.models.map((m, i) => ({ ...m, fisher: f.files[i] }));
    return { ok: true, recipe, modelNodeIds: ids };
  }
  return { ok: true, recipe, modelNodeIds: ids };
}

export function compileOutput(g: GraphLike, outputNodeId: string): CompileResult {
  const node = nodeById(g, outputNodeId);
  if (!node || node.data.kind !== 'output') return fail(outputNodeId, 'Not an Output node.');
  const out: OutputNodeData = node.data;
  const [edge] = edgesInto(g, outputNodeId, 'weights');
  if (!edge) return fail(outputNodeId, 'Connect a merge node to this Output.');
  const src = nodeById(g, edge.source);
  if (!src || (src.data.kind !== 'merge' && src.data.kind !== 'layerAssembly')) {
    return fail(outputNodeId, `${src ? nodeLabel(src.data) : 'That node'} is not a merge: an Output writes the result of a merge or Layer assembly node.`);
  }
  if (!out.folder.trim()) return fail(outputNodeId, 'Choose an output folder.');
  const merged: ReturnType<typeof compileMerge> = src.data.kind === 'layerAssembly' ? compileLayerAssembly(g, src.id) : compileMerge(g, src.id);
  if (!merged.ok) return merged;
  const recipe = merged.recipe;
  if (out.dtype !== 'auto') recipe.outDtype = out.dtype;
  const method = getMethod(recipe.mergeMethod);
  if (method?.random || out.seed !== 0) recipe.seed = out.seed;
  return {
    ok: true,
    job: {
      outputNodeId,
      mergeNodeId: src.id,
      recipe,
      out: out.folder.trim(),
      force: out.overwrite,
      shardSize: out.shardSize,
      seed: out.seed,
      modelNodeIds: merged.modelNodeIds,
    },
  };
}
