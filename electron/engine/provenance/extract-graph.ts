/**
 * An output's graph, reopened: the recorded graph (or, for outputs that recorded none, the recipe
 * laid out as one) with every Model node pointing at where its input is now (absolute paths,
 * found by header hash when the recorded paths moved).
 */
import { dirname, resolve } from 'node:path';
import type { Project } from '../../../common/graph/project-schema.js';
import { InputError } from '../io/types.js';
import { recipeGraph } from '../run/recipe-graph.js';
import type { Provenance } from './read-provenance.js';
import { readProvenance } from './read-provenance.js';
import { resolveInputs, type ResolvedInput } from './resolve-inputs.js';

export interface ExtractedGraph {
  provenance: Provenance;
  inputs: ResolvedInput[];
  graph: Project;
}

/** Where moved inputs are searched: --models-root (when given), then the output's parent folder. */
export function searchRoots(output: string, modelsRoot: string | undefined): string[] {
  const parent = dirname(resolve(output));
  return modelsRoot === undefined ? [parent] : [resolve(modelsRoot), parent];
}

export function withModelPaths(graph: Project, paths: ReadonlyMap<string, string>): Project {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      if (n.data.kind !== 'model') return n;
      const path = paths.get(n.data.path);
      return path === undefined ? n : { ...n, data: { ...n.data, path } };
    }),
  };
}

export async function extractGraph(output: string, modelsRoot?: string): Promise<ExtractedGraph> {
  const provenance = await readProvenance(resolve(output));
  const graph = provenance.graph ?? recipeGraph(provenance.recipe);
  if (graph === undefined) throw new InputError(`${provenance.checkpoint.path}: its recipe cannot be shown as a graph (slices or LoRA references)`, provenance.checkpoint.path);
  const inputs = await resolveInputs(provenance.inputs, searchRoots(provenance.checkpoint.path, modelsRoot));
  const paths = new Map(inputs.map((i) => [i.model, i.path]));
  return { provenance, inputs, graph: withModelPaths(graph, paths) };
}
