/**
 * Graph → MergeRecipe: an Output node, the merge node feeding it and that node's inputs compile to
 * one recipe (a Layer assembly node compiles to the `slices:` form, compile-slices.ts). Task Vector / Scale / Add chains become task-arithmetic weights (reduce-task-vector.ts).
 * Merges and Layer assemblies feeding that node (chains, chain.ts) compile to named stages run first,
 * mergekit-multi's way (an assembly as a `slices:` stage).
 */
import { getMethod } from '../methods/registry.js';
import type { MethodDescriptor, ParamSpecMap } from '../methods/types.js';
import type { MergeRecipe, ModelSpec } from '../recipe/types.js';
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';
import { nodeLabel } from './node-label.js';
import type { MergeNodeData, OutputNodeData, TokenizerSettings } from './project-schema.js';
import { reduceTaskVector } from './reduce-task-vector.js';
import { taskVectorTermWeight } from './task-vector-weight.js';
import { modelSource } from './model-source.js';
import { pairFishers } from './fisher-inputs.js';
import { compileLayerAssembly } from './compile-slices.js';
import { dtypeKeys } from './dtype-keys.js';
import { isStageNode, stageNames, upstreamMerges } from './chain.js';

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
  /**
   * A chain: the merges feeding this one, in run order, each a recipe named by its stage name (the
   * name the later recipes use as a model reference). Absent for a single merge.
   */
  stages?: CompiledStage[];
}

export interface CompiledStage {
  /** The stage's node: a merge, or a Layer assembly (its recipe in the `slices:` form). */
  mergeNodeId: string;
  recipe: MergeRecipe & { name: string };
  modelNodeIds: string[];
}

export type CompileResult = { ok: true; job: CompiledJob } | { ok: false; nodeId: string; reason: string };

function fail(nodeId: string, reason: string): CompileResult {
  return { ok: false, nodeId, reason };
}

/** Only the parameters the method declares at those scopes (others are ignored, not sent). */
function pick(params: ParamSpecMap | undefined, method: MethodDescriptor, scopes: readonly ('model' | 'global')[]): ParamSpecMap {
  const out: ParamSpecMap = {};
  if (!params) return out;
  for (const p of method.params) if (scopes.includes(p.scope) && params[p.name] !== undefined) out[p.name] = params[p.name];
  return out;
}

function withParams(model: string, parameters: ParamSpecMap, lora?: string): ModelSpec {
  const spec: ModelSpec = lora ? { model, lora } : { model };
  return Object.keys(parameters).length ? { ...spec, parameters } : spec;
}

/** `names`: every merge node's stage name (chain.ts stageNames), computed here when not given. */
export function compileMerge(
  g: GraphLike,
  mergeNodeId: string,
  names: ReadonlyMap<string, string> = stageNames(g),
): { ok: true; recipe: MergeRecipe; modelNodeIds: string[] } | { ok: false; nodeId: string; reason: string } {
  const node = nodeById(g, mergeNodeId);
  if (!node || node.data.kind !== 'merge') return { ok: false, nodeId: mergeNodeId, reason: 'Not a merge node.' };
  const data: MergeNodeData = node.data;
  const method = getMethod(data.method);
  if (!method) return { ok: false, nodeId: mergeNodeId, reason: `Unknown merge method '${data.method}'.` };

  let base: { nodeId: string; path: string } | undefined;
  // A method that merges no base takes one as the donor of config.json and tokenizer (base-port.ts): still the recipe's base_model.
  const [baseEdge] = edgesInto(g, mergeNodeId, 'base');
  if (baseEdge) {
    const src = nodeById(g, baseEdge.source);
    if (isStageNode(src?.data)) base = { nodeId: src!.id, path: names.get(src!.id) ?? src!.id };
    else {
      if (!src || (src.data.kind !== 'model' && src.data.kind !== 'align' && src.data.kind !== 'lora')) {
        return { ok: false, nodeId: mergeNodeId, reason: 'The base must be a Model, Align, LoRA, merge or Layer assembly node.' };
      }
      if (src.data.kind === 'lora' && src.data.mode !== 'model') return { ok: false, nodeId: src.id, reason: 'A LoRA task vector cannot be a base: set the LoRA node to give base + adapter.' };
      const b = modelSource(g, src.id);
      if (!b.ok) return b;
      // mergekit writes an adapted base as `model+lora`.
      base = { nodeId: src.id, path: b.spec.lora === undefined ? b.spec.model : `${b.spec.model}+${b.spec.lora}` };
    }
  }

  const models: ModelSpec[] = [];
  const modelNodeIds: string[] = [];
  for (const e of edgesInto(g, mergeNodeId, 'models')) {
    const src = nodeById(g, e.source);
    if (!src) continue;
    const own = pick(data.modelParams[src.id], method, ['model']);
    if (isStageNode(src.data)) {
      // A chain: the earlier merge's (or assembly's) result, under its stage name.
      models.push(withParams(names.get(src.id) ?? src.id, own));
      modelNodeIds.push(src.id);
      continue;
    }
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
    // Each term's weight: its own, else the node's (as every input inherits it), times its coefficient.
    const weightParam = method.params.find((p) => p.name === 'weight' && p.scope === 'model');
    const nodeWeight = pick(data.params, method, ['model']).weight;
    for (const term of tv.terms) {
      const weight = taskVectorTermWeight(weightParam, own.weight, nodeWeight, term.coefficient);
      models.push(withParams(term.path, weight === undefined ? own : { ...own, weight }));
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
  // The node's parameters are the recipe's top level: its per-model ones (weight, density, ...) are
  // the default of every input that does not set its own, as mergekit's top-level `parameters:` are.
  const globals = pick(data.params, method, ['model', 'global']);
  if (Object.keys(globals).length) recipe.parameters = globals;
  const ids = base ? [base.nodeId, ...modelNodeIds] : modelNodeIds;
  if (method.id === 'fisher') {
    // Each model names its Fisher file in the recipe, which runs like any merge (planner, workers, events).
    const f = pairFishers(g, mergeNodeId, recipe, names);
    if (!f.ok) return f;
    recipe.models = recipe.models.map((m, i) => ({ ...m, fisher: f.files[i] }));
    return { ok: true, recipe, modelNodeIds: ids };
  }
  return { ok: true, recipe, modelNodeIds: ids };
}

/** A node's tokenizer source and chat template set on `recipe` (blank ones are unset). */
function withTokenizerSettings(recipe: MergeRecipe, settings: TokenizerSettings): void {
  const source = settings.tokenizerSource?.trim();
  if (source) recipe.tokenizerSource = source;
  if (settings.chatTemplate?.trim()) recipe.chatTemplate = settings.chatTemplate;
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
  const names = stageNames(g);
  const merged = compileStageNode(g, src.id, names);
  if (!merged.ok) return merged;
  const recipe = merged.recipe;
  // A merge (or assembly) node's own dtype and seed, when set, take precedence over the Output's.
  const own: { dtype?: MergeNodeData['dtype']; seed?: number } = src.data;
  const dtype = own.dtype ?? (out.dtype === 'auto' ? undefined : out.dtype);
  // An imported recipe's own dtype key is written back as it was (dtype-keys.ts). Output set to "as
  // the base model" where the recipe's dtype could be shown on the node means the user chose the
  // base's dtype over it: the key goes (mergekit has no out_dtype for "as the base", and a dtype
  // key would set the output's).
  Object.assign(recipe, dtypeKeys(dtype, out.recipeDtype));
  const seed = own.seed ?? out.seed;
  // The final merge writes the output, so its tokenizer settings are the Output's (else the merge node's own, as a chain's earlier stages have).
  withTokenizerSettings(recipe, out);
  if (isStageNode(src.data) && recipe.tokenizerSource === undefined && recipe.chatTemplate === undefined) withTokenizerSettings(recipe, src.data);
  const method = getMethod(recipe.mergeMethod);
  if (method?.random || seed !== 0) recipe.seed = seed;
  // A labelled final merge keeps its name (a mergekit-multi file's final stage may have one).
  if (src.data.label?.trim()) recipe.name = names.get(src.id);
  const chain = compileStages(g, src.id, names, out.seed);
  if (!chain.ok) return chain;
  return {
    ok: true,
    job: {
      outputNodeId,
      mergeNodeId: src.id,
      recipe,
      out: out.folder.trim(),
      force: out.overwrite,
      shardSize: out.shardSize,
      seed,
      modelNodeIds: merged.modelNodeIds,
      ...(chain.stages.length > 0 ? { stages: chain.stages } : {}),
    },
  };
}

/** A stage node's recipe: a merge node's, or a Layer assembly's in the `slices:` form. */
export function compileStageNode(
  g: GraphLike,
  nodeId: string,
  names: ReadonlyMap<string, string> = stageNames(g),
): { ok: true; recipe: MergeRecipe; modelNodeIds: string[] } | { ok: false; nodeId: string; reason: string } {
  return nodeById(g, nodeId)?.data.kind === 'layerAssembly' ? compileLayerAssembly(g, nodeId, names) : compileMerge(g, nodeId, names);
}

/**
 * The merges and Layer assemblies feeding `mergeNodeId`, compiled as named stages in run order:
 * each written in its own dtype when set (else the engine's default), its dtype keys as imported, seeded with its own seed
 * when set, else `seed` (the Output's), with its own tokenizer settings when set (else its base,
 * else first, model's tokenizer).
 */
export function compileStages(
  g: GraphLike,
  mergeNodeId: string,
  names: ReadonlyMap<string, string> = stageNames(g),
  seed = 0,
): { ok: true; stages: CompiledStage[] } | { ok: false; nodeId: string; reason: string } {
  const up = upstreamMerges(g, mergeNodeId);
  if (!up.ok) return up;
  const stages: CompiledStage[] = [];
  for (const id of up.order) {
    const c = compileStageNode(g, id, names);
    if (!c.ok) return c;
    const name = names.get(id) ?? id;
    const recipe: MergeRecipe & { name: string } = { ...c.recipe, name };
    const own = nodeById(g, id)?.data;
    const stageSeed = (isStageNode(own) ? own.seed : undefined) ?? seed;
    // Its dtype keys as an imported stage wrote them (dtype stays dtype), as the final merge's.
    if (isStageNode(own)) Object.assign(recipe, dtypeKeys(own.dtype, own.recipeDtype));
    if (isStageNode(own)) withTokenizerSettings(recipe, own);
    if (getMethod(recipe.mergeMethod)?.random || stageSeed !== 0) recipe.seed = stageSeed;
    stages.push({ mergeNodeId: id, recipe, modelNodeIds: c.modelNodeIds });
  }
  return { ok: true, stages };
}
