/** A recipe laid out as a graph: Model nodes on the left, the merge node, an Output on the right. */
import { getMethod } from '../methods/registry.js';
import type { ParamSpecMap } from '../methods/types.js';
import type { MergeRecipe } from '../recipe/types.js';
import { DEFAULT_SHARD_SIZE } from './migrations.js';
import { PROJECT_FORMAT, PROJECT_VERSION, type Project, type ProjectEdge, type ProjectNode } from './project-schema.js';
import { outDtype } from './recipe-output-node.js';
import { slicesToProject } from './slices-to-project.js';

export type RecipeToProject = { ok: true; project: Project } | { ok: false; reason: string };

export function recipeToProject(recipe: MergeRecipe, opts: { name: string; outFolder: string }): RecipeToProject {
  if (recipe.slices) return slicesToProject(recipe, opts);
  const method = getMethod(recipe.mergeMethod);
  if (!method) return { ok: false, reason: `Unknown merge method '${recipe.mergeMethod}'.` };
  const nodes: ProjectNode[] = [];
  const edges: ProjectEdge[] = [];
  const modelParams: Record<string, ParamSpecMap> = {};
  const modelNode = new Map<string, string>();
  const addModel = (path: string): string => {
    const existing = modelNode.get(path);
    if (existing) return existing;
    const id = `model-${modelNode.size + 1}`;
    nodes.push({ id, position: { x: 0, y: modelNode.size * 160 }, data: { kind: 'model', path } });
    modelNode.set(path, id);
    return id;
  };
  const mergeId = 'merge-1';
  if (recipe.baseModel && method.base !== 'none') {
    const id = addModel(recipe.baseModel);
    edges.push({ id: `e-${id}-base`, source: id, sourceHandle: 'weights', target: mergeId, targetHandle: 'base' });
  }
  // `model+lora`: a LoRA node over the Model node (as the adapted model) feeds the merge, between the columns.
  const hasLora = (recipe.models ?? []).some((m) => m.lora !== undefined);
  const mergeX = hasLora ? 760 : 380;
  let loras = 0;
  for (const m of recipe.models ?? []) {
    if (method.baseAmongInputs && m.lora === undefined && m.model === recipe.baseModel) continue;
    let id = addModel(m.model);
    if (m.lora !== undefined) {
      const modelId = id;
      id = `lora-${++loras}`;
      nodes.push({ id, position: { x: 380, y: nodes.find((n) => n.id === modelId)?.position.y ?? 0 }, data: { kind: 'lora', adapter: m.lora, mode: 'model' } });
      edges.push({ id: `e-${modelId}-${id}-base`, source: modelId, sourceHandle: 'weights', target: id, targetHandle: 'base' });
    }
    edges.push({ id: `e-${id}-models`, source: id, sourceHandle: 'weights', target: mergeId, targetHandle: 'models' });
    if (m.parameters) modelParams[id] = m.parameters;
  }
  const rows = Math.max(1, modelNode.size);
  const midY = ((rows - 1) * 160) / 2;
  nodes.push({
    id: mergeId,
    position: { x: mergeX, y: midY },
    data: { kind: 'merge', method: method.id, params: recipe.parameters ?? {}, modelParams },
  });
  nodes.push({
    id: 'output-1',
    position: { x: mergeX + 380, y: midY },
    data: {
      kind: 'output',
      folder: opts.outFolder,
      dtype: outDtype(recipe.outDtype ?? recipe.dtype),
      shardSize: DEFAULT_SHARD_SIZE,
      seed: recipe.seed ?? 0,
      overwrite: false,
    },
  });
  edges.push({ id: 'e-merge-output', source: mergeId, sourceHandle: 'weights', target: 'output-1', targetHandle: 'weights' });
  return { ok: true, project: { format: PROJECT_FORMAT, version: PROJECT_VERSION, name: opts.name, nodes, edges } };
}
