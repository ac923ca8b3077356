/**
 * A `slices:` recipe (a frankenmerge, or per-slice merges) laid out as a graph: one Model node per
 * model (a LoRA node after it for `model+lora` references), every one wired once into a Layer
 * assembly node with one row per slice, an Output on the right. The base model is wired to the
 * node's Base (for a method that merges none, as the donor of config and tokenizer); rows name it
 * like any other input. Fisher merging gets a
 * Fisher node reading each model's file (other methods ignore `fisher:` entries, as the engine does).
 */
import { getMethod } from '../methods/registry.js';
import type { MergeRecipe, SliceSpec } from '../recipe/types.js';
import type { SliceRowData } from './layer-assembly-schema.js';
import { PROJECT_FORMAT, PROJECT_VERSION, type Project, type ProjectEdge, type ProjectNode } from './project-schema.js';
import { recipeOutputData } from './recipe-output-node.js';
import { modelKeyOf, splitLoraRef } from '../recipe/model-ref.js';

const ROW_GAP = 200;
const ASSEMBLY_ID = 'assembly-1';

/** mergekit's `model+lora`, split; a reference with another number of '+' is a plain path. */
function splitRef(ref: string): { model: string; lora?: string } {
  return splitLoraRef(ref) ?? { model: ref };
}

/**
 * A Layer assembly's rows for a recipe's slices, one per slice: each source names the node
 * `inputOf` gives for its model reference (mergekit's `model+lora` written as one key), with its
 * layer range and parameters. `inputOf` wires that node into the assembly as it needs.
 */
export function sliceRows(slices: readonly SliceSpec[], inputOf: (ref: string) => string): SliceRowData[] {
  return slices.map((slice) => ({
    sources: slice.sources.map((src) => ({
      input: inputOf(modelKeyOf(src)),
      range: [src.layerRange[0], src.layerRange[1]],
      params: src.parameters ?? {},
    })),
    params: slice.parameters ?? {},
  }));
}

export function slicesToProject(recipe: MergeRecipe, opts: { name: string; outFolder: string }): { ok: true; project: Project } | { ok: false; reason: string } {
  const method = getMethod(recipe.mergeMethod);
  if (!method) return { ok: false, reason: `Unknown merge method '${recipe.mergeMethod}'.` };
  const slices = recipe.slices ?? [];
  const nodes: ProjectNode[] = [];
  const edges: ProjectEdge[] = [];
  const models = new Map<string, string>();
  const feeders = new Map<string, string>();
  const hasLora = slices.some((s) => s.sources.some((src) => src.lora !== undefined)) || (recipe.baseModel !== undefined && splitRef(recipe.baseModel).lora !== undefined);
  const hasFisher = method.id === 'fisher' && slices.some((s) => s.sources.some((src) => src.fisher !== undefined));
  const loraX = 380;
  const assemblyX = hasLora || hasFisher ? 760 : 380;

  const addModel = (path: string): string => {
    const known = models.get(path);
    if (known) return known;
    const id = `model-${models.size + 1}`;
    nodes.push({ id, position: { x: 0, y: models.size * ROW_GAP }, data: { kind: 'model', path } });
    models.set(path, id);
    return id;
  };
  /** The node that feeds the assembly for a reference: its Model node, or the LoRA node over it. */
  const feederOf = (ref: string, handle: 'base' | 'models'): string => {
    const known = feeders.get(ref);
    if (known) return known;
    const { model, lora } = splitRef(ref);
    const modelId = addModel(model);
    let id = modelId;
    if (lora !== undefined) {
      id = `lora-${feeders.size + 1}`;
      const y = nodes.find((n) => n.id === modelId)?.position.y ?? 0;
      nodes.push({ id, position: { x: loraX, y }, data: { kind: 'lora', adapter: lora, mode: 'model' } });
      edges.push({ id: `e-${modelId}-${id}-base`, source: modelId, sourceHandle: 'weights', target: id, targetHandle: 'base' });
    }
    edges.push({ id: `e-${id}-${handle}`, source: id, sourceHandle: 'weights', target: ASSEMBLY_ID, targetHandle: handle });
    feeders.set(ref, id);
    return id;
  };

  // A method that merges no base (passthrough) still takes one, as the donor of config.json and tokenizer (base-port.ts).
  if (recipe.baseModel !== undefined) feederOf(recipe.baseModel, 'base');
  const rows = sliceRows(slices, (ref) => feederOf(ref, 'models'));

  // Fisher merging: a Fisher node reading each model's file, wired into the assembly's Fisher input.
  if (method.id === 'fisher') {
    const fileOf = new Map<string, string>();
    for (const src of slices.flatMap((sl) => sl.sources)) {
      if (src.fisher === undefined) continue;
      const known = fileOf.get(src.model);
      if (known !== undefined && known !== src.fisher) {
        return { ok: false, reason: `'${src.model}' names two Fisher files (${known}, ${src.fisher}): a graph pairs one Fisher node with each model.` };
      }
      fileOf.set(src.model, src.fisher);
    }
    for (const [model, file] of fileOf) {
      const modelId = addModel(model);
      const id = `fisher-${[...fileOf.keys()].indexOf(model) + 1}`;
      const y = nodes.find((n) => n.id === modelId)?.position.y ?? 0;
      nodes.push({ id, position: { x: loraX, y: y + ROW_GAP / 2 }, data: { kind: 'fisher', source: 'file', file, texts: [] } });
      edges.push({ id: `e-${modelId}-${id}-model`, source: modelId, sourceHandle: 'weights', target: id, targetHandle: 'model' });
      edges.push({ id: `e-${id}-fishers`, source: id, sourceHandle: 'fisher', target: ASSEMBLY_ID, targetHandle: 'fishers' });
    }
  }

  const midY = (Math.max(1, models.size) - 1) * ROW_GAP / 2;
  nodes.push({ id: ASSEMBLY_ID, position: { x: assemblyX, y: 0 }, data: { kind: 'layerAssembly', method: method.id, params: recipe.parameters ?? {}, rows } });
  nodes.push({ id: 'output-1', position: { x: assemblyX + 560, y: midY }, data: recipeOutputData(recipe, opts.outFolder) });
  edges.push({ id: 'e-assembly-output', source: ASSEMBLY_ID, sourceHandle: 'weights', target: 'output-1', targetHandle: 'weights' });
  return { ok: true, project: { format: PROJECT_FORMAT, version: PROJECT_VERSION, name: opts.name, nodes, edges } };
}
