/**
 * Layer assembly node → MergeRecipe in mergekit's `slices:` form, the form the engine runs for
 * YAML recipes: one slice per row, each source a model reference with its layer range. Parameters
 * the method does not declare are not sent; per-source ones only at the model scope (the engine
 * reads a method's other parameters from the slice or the top level only). Fisher merging names
 * each source's Fisher file, from the Fisher node wired in for that source's model. An input that is
 * an earlier stage of a chain (a merge or another assembly) is named by its stage name.
 */
import { getMethod } from '../methods/registry.js';
import type { MethodDescriptor, ParamSpecMap } from '../methods/types.js';
import type { MergeRecipe, SliceSource, SliceSpec } from '../recipe/types.js';
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';
import { assemblyInputs } from './layer-assembly.js';
import { modelSource } from './model-source.js';
import { pairFishers } from './fisher-inputs.js';
import { modelKeyOf } from '../recipe/model-ref.js';
import { isStageNode, stageNames } from './chain.js';

export type CompiledAssembly = { ok: true; recipe: MergeRecipe; modelNodeIds: string[] } | { ok: false; nodeId: string; reason: string };

function declared(params: ParamSpecMap, method: MethodDescriptor, scopes: readonly ('model' | 'global')[]): ParamSpecMap | undefined {
  const out: ParamSpecMap = {};
  for (const p of method.params) if (scopes.includes(p.scope) && params[p.name] !== undefined) out[p.name] = params[p.name];
  return Object.keys(out).length ? out : undefined;
}

const ANY = ['model', 'global'] as const;

/** `names`: every stage node's stage name (chain.ts stageNames), computed here when not given. */
export function compileLayerAssembly(g: GraphLike, nodeId: string, names: ReadonlyMap<string, string> = stageNames(g)): CompiledAssembly {
  const node = nodeById(g, nodeId);
  if (!node || node.data.kind !== 'layerAssembly') return { ok: false, nodeId, reason: 'Not a Layer assembly node.' };
  const data = node.data;
  const method = getMethod(data.method);
  if (!method) return { ok: false, nodeId, reason: `Unknown merge method '${data.method}'.` };
  if (data.rows.length === 0) return { ok: false, nodeId, reason: 'Add a row: each row is a slice of layers taken from the models wired in.' };

  const specs = new Map<string, { model: string; lora?: string }>();
  for (const input of assemblyInputs(g, nodeId)) {
    if (isStageNode(nodeById(g, input.id)?.data)) {
      // A chain: the earlier stage's result, under its stage name.
      specs.set(input.id, { model: names.get(input.id) ?? input.id });
      continue;
    }
    const m = modelSource(g, input.id);
    if (!m.ok) return m;
    specs.set(input.id, m.spec.lora === undefined ? { model: m.spec.model } : { model: m.spec.model, lora: m.spec.lora });
  }

  const used: string[] = [];
  const recipe: MergeRecipe = { mergeMethod: method.id };
  const [baseEdge] = edgesInto(g, nodeId, 'base');
  // A method that merges no base (passthrough) takes one as the donor of config.json and tokenizer (base-port.ts).
  if (baseEdge) {
    recipe.baseModel = modelKeyOf(specs.get(baseEdge.source)!);
    used.push(baseEdge.source);
  }
  const slices: SliceSpec[] = [];
  for (const [i, row] of data.rows.entries()) {
    const where = data.rows.length > 1 ? `Row ${i + 1}` : 'The row';
    if (row.sources.length === 0) return { ok: false, nodeId, reason: `${where} has no source: add one, or remove the row.` };
    const sources: SliceSource[] = [];
    for (const s of row.sources) {
      if (!s.input) return { ok: false, nodeId, reason: `${where}: choose the model a source takes its layers from.` };
      const spec = specs.get(s.input);
      if (!spec) return { ok: false, nodeId, reason: `${where}: a source names a model that is not wired into this node; connect it to Models.` };
      if (s.range[1] <= s.range[0]) return { ok: false, nodeId, reason: `${where}: the layer range ${s.range[0]}–${s.range[1]} is empty (the end is excluded, so it must be above the start).` };
      const src: SliceSource = { ...spec, layerRange: [s.range[0], s.range[1]] };
      const own = declared(s.params, method, ['model']);
      if (own) src.parameters = own;
      sources.push(src);
      if (!used.includes(s.input)) used.push(s.input);
    }
    const slice: SliceSpec = { sources };
    const own = declared(row.params, method, ANY);
    if (own) slice.parameters = own;
    slices.push(slice);
  }
  recipe.slices = slices;
  if (method.id === 'fisher') {
    // Each source names the Fisher file of its model, paired through the Fisher node on that model.
    const models = [...new Map(slices.flatMap((sl) => sl.sources).map((src) => [modelKeyOf(src), { model: src.model, ...(src.lora === undefined ? {} : { lora: src.lora }) }])).values()];
    const paired = pairFishers(g, nodeId, { mergeMethod: method.id, models }, names);
    if (!paired.ok) return paired;
    const fileOf = new Map(models.map((m, i) => [modelKeyOf(m), paired.files[i]]));
    for (const sl of slices) for (const src of sl.sources) src.fisher = fileOf.get(modelKeyOf(src));
  }
  const globals = declared(data.params, method, ANY);
  if (globals) recipe.parameters = globals;
  return { ok: true, recipe, modelNodeIds: used };
}
