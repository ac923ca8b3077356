/**
 * Recipes laid out as a graph: Model nodes on the left, LoRA nodes beside them (mergekit's
 * `model+lora`) and Fisher nodes reading a Fisher merge's `fisher:` files, merge nodes left to right by stage depth (a mergekit-multi stage's name, used as
 * a model by later stages, becomes an edge from its merge node and the node's label), an Output
 * on the right fed by the final merge. A `slices:` stage is a Layer assembly node in that place,
 * its rows naming the Model, LoRA or earlier stage nodes wired into it.
 */
import { getMethod } from '../methods/registry.js';
import type { ParamSpecMap } from '../methods/types.js';
import type { MergeRecipe } from '../recipe/types.js';
import { PROJECT_FORMAT, PROJECT_VERSION, type Project, type ProjectEdge, type MergeNodeData, type ProjectNode, type TokenizerSettings } from './project-schema.js';
import { outDtype, recipeOutputData, recipeTokenizerSettings } from './recipe-output-node.js';
import { sliceRows, slicesToProject } from './slices-to-project.js';
import { modelKeyOf, splitLoraRef } from '../recipe/model-ref.js';

export type RecipeToProject = { ok: true; project: Project } | { ok: false; reason: string };

export interface LayoutOptions {
  name: string;
  outFolder: string;
}

const ROW = 180;
const MERGE_GAP = 240;
/** Below a stage's merge node (its height and a margin), where a Fisher node reading its result goes. */
const BELOW_MERGE = 560;
const COLUMN = 380;
const LORA_COLUMN = 300;

/** mergekit's `model+lora`, split; a reference with another number of '+' is a plain path. */
function splitRef(ref: string): { model: string; lora?: string } {
  return splitLoraRef(ref) ?? { model: ref };
}

/** Model references of a recipe that can name a stage (base, models and slice sources, as written). */
function refsOf(recipe: MergeRecipe): string[] {
  const sources = (recipe.slices ?? []).flatMap((s) => s.sources.map(modelKeyOf));
  return [...(recipe.baseModel === undefined ? [] : [recipe.baseModel]), ...(recipe.models ?? []).map(modelKeyOf), ...sources];
}

/** Each stage's depth: 0 when it reads no stage, else one more than the deepest stage it reads. */
function stageDepths(recipes: readonly MergeRecipe[], byName: ReadonlyMap<string, number>): number[] {
  const depth = new Map<number, number>();
  const of = (i: number, seen: Set<number>): number => {
    const known = depth.get(i);
    if (known !== undefined) return known;
    if (seen.has(i)) return 0; // a cycle: refused when run; laid out anyway
    seen.add(i);
    let d = 0;
    for (const ref of refsOf(recipes[i])) {
      const j = byName.get(ref);
      if (j !== undefined && j !== i) d = Math.max(d, of(j, seen) + 1);
    }
    depth.set(i, d);
    return d;
  };
  return recipes.map((_, i) => of(i, new Set()));
}

export function recipeToProject(recipe: MergeRecipe, opts: LayoutOptions): RecipeToProject {
  return recipesToProject([recipe], 0, opts);
}

/**
 * `recipes`: the documents of a (mergekit-multi) file; `final`: the one the Output writes (the
 * engine's stage-order.ts says which, and refuses cycles and duplicate names before this).
 */
export function recipesToProject(recipes: readonly MergeRecipe[], final: number, opts: LayoutOptions): RecipeToProject {
  const byName = new Map<string, number>();
  recipes.forEach((r, i) => {
    if (r.name !== undefined) byName.set(r.name, i);
  });
  // A single `slices:` recipe is a Layer assembly node (slices-to-project.ts, with its Fisher nodes).
  if (recipes.length === 1 && recipes[0].slices) return slicesToProject(recipes[0], opts);
  for (const r of recipes) {
    if (!getMethod(r.mergeMethod)) return { ok: false, reason: `Unknown merge method '${r.mergeMethod}'.` };
    if (r.slices && r.mergeMethod === 'fisher') {
      // A graph pairs one Fisher node with each model of an assembly (fisher-inputs.ts).
      const fileOf = new Map<string, string>();
      for (const src of r.slices.flatMap((sl) => sl.sources)) {
        if (src.fisher === undefined) continue;
        const key = modelKeyOf(src);
        const known = fileOf.get(key);
        if (known !== undefined && known !== src.fisher) return { ok: false, reason: `'${key}' names two Fisher files (${known}, ${src.fisher}): a graph pairs one Fisher node with each model.` };
        fileOf.set(key, src.fisher);
      }
    }
  }
  const depths = stageDepths(recipes, byName);
  const maxDepth = Math.max(0, ...depths);
  // Stages in layout order: by depth, then file order (models used first sit at the top).
  const order = recipes.map((_, i) => i).sort((a, b) => depths[a] - depths[b] || a - b);
  // A stage's node: a merge node, or a Layer assembly node for a `slices:` stage.
  const mergeId = (i: number): string => (recipes.length === 1 ? 'merge-1' : `${recipes[i].slices ? 'assembly' : 'merge'}-${i + 1}`);

  const nodes: ProjectNode[] = [];
  const edges: ProjectEdge[] = [];
  const y = new Map<string, number>();
  const modelNode = new Map<string, string>();
  const loraNode = new Map<string, string>();
  const addModel = (path: string): string => {
    const existing = modelNode.get(path);
    if (existing) return existing;
    const id = `model-${modelNode.size + 1}`;
    y.set(id, modelNode.size * ROW);
    nodes.push({ id, position: { x: 0, y: modelNode.size * ROW }, data: { kind: 'model', path } });
    modelNode.set(path, id);
    return id;
  };
  const loras: ProjectNode[] = [];
  const addLora = (model: string, lora: string): string => {
    const key = `${model}+${lora}`;
    const existing = loraNode.get(key);
    if (existing) return existing;
    const base = addModel(model);
    const id = `lora-${loraNode.size + 1}`;
    y.set(id, loraNode.size * ROW);
    loras.push({ id, position: { x: LORA_COLUMN, y: loraNode.size * ROW }, data: { kind: 'lora', adapter: lora, mode: 'model' } });
    edges.push({ id: `e-${base}-${id}-base`, source: base, sourceHandle: 'weights', target: id, targetHandle: 'base' });
    loraNode.set(key, id);
    return id;
  };
  /** Fisher merging: a Fisher node reading a model's `fisher:` file, fed by that model and feeding the merge's Fisher input. */
  const fishers: ProjectNode[] = [];
  /** Each Fisher node's model: a stage's merge is laid out later, and its Fisher node with it. */
  const fisherModel = new Map<ProjectNode, string>();
  const addFisher = (model: string, file: string, merge: string): void => {
    const id = `fisher-${fishers.length + 1}`;
    fishers.push({ id, position: { x: LORA_COLUMN, y: (y.get(model) ?? 0) + ROW / 2 }, data: { kind: 'fisher', source: 'file', file, texts: [] } });
    fisherModel.set(fishers[fishers.length - 1], model);
    edges.push({ id: `e-${model}-${id}-model`, source: model, sourceHandle: 'weights', target: id, targetHandle: 'model' });
    edges.push({ id: `e-${id}-${merge}-fishers`, source: id, sourceHandle: 'fisher', target: merge, targetHandle: 'fishers' });
  };
  /** The node a reference stands for: an earlier stage's merge, a LoRA node, or a Model. */
  const sourceOf = (ref: { model: string; lora?: string }, self: number): string => {
    const stage = ref.lora === undefined ? byName.get(ref.model) : undefined;
    if (stage !== undefined && stage !== self) return mergeId(stage);
    return ref.lora === undefined ? addModel(ref.model) : addLora(ref.model, ref.lora);
  };

  /**
   * An earlier stage keeps its own dtype (and its dtype key as written, to be exported back so),
   * seed and tokenizer settings (the final stage's go to the Output).
   */
  const stageSettings = (recipe: MergeRecipe, i: number): Pick<MergeNodeData, 'dtype' | 'recipeDtype' | 'seed'> & TokenizerSettings => {
    if (i === final) return {};
    const dtype = outDtype(recipe.outDtype ?? recipe.dtype);
    return {
      ...(dtype === 'auto' ? {} : { dtype }),
      ...(recipe.dtype === undefined ? {} : { recipeDtype: recipe.dtype }),
      ...(recipe.seed === undefined ? {} : { seed: recipe.seed }),
      ...recipeTokenizerSettings(recipe),
    };
  };

  /** A `slices:` stage: a Layer assembly whose rows name the nodes wired in (each once: the base to Base, the rest to Models). */
  const assemblyNode = (recipe: MergeRecipe, i: number, id: string, inputs: string[]): ProjectNode => {
    const method = getMethod(recipe.mergeMethod)!;
    const wire = (ref: string, handle: 'base' | 'models'): string => {
      const src = sourceOf(splitRef(ref), i);
      if (!inputs.includes(src)) {
        inputs.push(src);
        edges.push({ id: `e-${src}-${id}-${handle}`, source: src, sourceHandle: 'weights', target: id, targetHandle: handle });
      }
      return src;
    };
    // A method that merges no base still takes one, as the donor of config.json and tokenizer (base-port.ts).
    if (recipe.baseModel !== undefined) wire(recipe.baseModel, 'base');
    const rows = sliceRows(recipe.slices ?? [], (ref) => wire(ref, 'models'));
    // Fisher merging: a Fisher node on each source's node (a model, or an earlier stage) reading its file.
    if (method.id === 'fisher') {
      const fisherOf = new Map<string, string>();
      for (const src of (recipe.slices ?? []).flatMap((sl) => sl.sources)) if (src.fisher !== undefined) fisherOf.set(sourceOf(src, i), src.fisher);
      for (const [src, file] of fisherOf) addFisher(src, file, id);
    }
    const label = recipe.name === undefined ? {} : { label: recipe.name };
    const data: ProjectNode['data'] = { kind: 'layerAssembly', method: method.id, params: recipe.parameters ?? {}, rows, ...label, ...stageSettings(recipe, i) };
    return { id, position: { x: 0, y: 0 }, data };
  };

  const merges: { i: number; node: ProjectNode; inputs: string[] }[] = [];
  for (const i of order) {
    const recipe = recipes[i];
    const method = getMethod(recipe.mergeMethod)!;
    const id = mergeId(i);
    const inputs: string[] = [];
    if (recipe.slices) {
      merges.push({ i, node: assemblyNode(recipe, i, id, inputs), inputs });
      continue;
    }
    const modelParams: Record<string, ParamSpecMap> = {};
    const baseKey = recipe.baseModel;
    // A method that merges no base still takes one, as the donor of config.json and tokenizer (base-port.ts).
    if (baseKey !== undefined) {
      const src = sourceOf(splitRef(baseKey), i);
      inputs.push(src);
      edges.push({ id: `e-${src}-${id}-base`, source: src, sourceHandle: 'weights', target: id, targetHandle: 'base' });
    }
    for (const m of recipe.models ?? []) {
      if (method.baseAmongInputs && modelKeyOf(m) === baseKey) continue;
      const src = sourceOf(m, i);
      inputs.push(src);
      edges.push({ id: `e-${src}-${id}-models`, source: src, sourceHandle: 'weights', target: id, targetHandle: 'models' });
      if (m.parameters) modelParams[src] = m.parameters;
      if (method.id === 'fisher' && m.fisher !== undefined) addFisher(src, m.fisher, id);
    }
    const label = recipe.name === undefined ? {} : { label: recipe.name };
    const data: ProjectNode['data'] = { kind: 'merge', method: method.id, params: recipe.parameters ?? {}, modelParams, ...label, ...stageSettings(recipe, i) };
    merges.push({ i, node: { id, position: { x: 0, y: 0 }, data }, inputs });
  }

  // Merge nodes: each at the mean height of its inputs, kept apart within its column.
  const mergeX0 = loras.length || fishers.length ? LORA_COLUMN + COLUMN : COLUMN;
  for (let d = 0; d <= maxDepth; d++) {
    const column = merges.filter((m) => depths[m.i] === d);
    for (const m of column) {
      const ys = m.inputs.map((s) => y.get(s) ?? 0);
      m.node.position = { x: mergeX0 + d * COLUMN, y: ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : 0 };
    }
    column.sort((a, b) => a.node.position.y - b.node.position.y);
    for (let k = 1; k < column.length; k++) {
      const above = column[k - 1].node.position.y;
      if (column[k].node.position.y < above + MERGE_GAP) column[k].node.position.y = above + MERGE_GAP;
    }
    for (const m of column) y.set(m.node.id, m.node.position.y);
  }
  // A Fisher node reading a stage's result: below that stage's merge node, half a column to its right.
  for (const [fisher, model] of fisherModel) {
    const stage = merges.find((m) => m.node.id === model);
    if (stage) fisher.position = { x: stage.node.position.x + COLUMN / 2, y: stage.node.position.y + BELOW_MERGE };
  }
  nodes.push(...loras, ...fishers, ...merges.sort((a, b) => a.i - b.i).map((m) => m.node));

  const last = recipes[final];
  const finalId = mergeId(final);
  nodes.push({
    id: 'output-1',
    position: { x: mergeX0 + (maxDepth + 1) * COLUMN, y: y.get(finalId) ?? 0 },
    data: recipeOutputData(last, opts.outFolder),
  });
  edges.push({ id: 'e-merge-output', source: finalId, sourceHandle: 'weights', target: 'output-1', targetHandle: 'weights' });
  return { ok: true, project: { format: PROJECT_FORMAT, version: PROJECT_VERSION, name: opts.name, nodes, edges } };
}
