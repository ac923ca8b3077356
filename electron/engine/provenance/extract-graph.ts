/**
 * An output's graph, reopened: the recorded graph (or, for outputs that recorded none, the recipe
 * laid out as one) with every Model node (and LoRA node's adapter) pointing at where its input is
 * now (absolute paths, found by header hash when the recorded paths moved).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Project } from '../../../common/graph/project-schema.js';
import { InputError } from '../io/types.js';
import { recipeGraph } from '../run/recipe-graph.js';
import type { Provenance } from './read-provenance.js';
import { allRecordedInputs, readProvenance } from './read-provenance.js';
import { locateInputs, resolveInputs, type LocatedInput, type ResolvedInput } from './resolve-inputs.js';
import type { RecordedInputKind } from './stage-record.js';

export interface ExtractedGraph {
  provenance: Provenance;
  inputs: ResolvedInput[];
  graph: Project;
}

/** A reopened graph whose inputs may be missing: each input says whether it was found, and on which nodes it is. */
export interface ReopenedGraph {
  provenance: Provenance;
  inputs: (LocatedInput & { nodeIds: string[] })[];
  graph: Project;
}

/**
 * Where moved inputs are searched: --models-root (when given), then the output's parent folder.
 * `output` is the output folder (a file inside it counts as its folder: pass the folder).
 */
export function searchRoots(output: string, modelsRoot: string | undefined): string[] {
  const parent = dirname(resolve(output));
  return modelsRoot === undefined ? [parent] : [resolve(modelsRoot), parent];
}

/** References (Model node paths; LoRA adapters under 'lora:', Fisher files under 'fisher:') → the path each input is at now. */
function refKey(model: string, kind: RecordedInputKind | undefined): string {
  return `${kind ?? 'model'}:${model}`;
}

/**
 * The recorded inputs a node may stand for, first match wins: a Fisher node's file is a 'fisher'
 * input, or a plain one in outputs written before Fisher files were recorded with their kind.
 */
function nodeRefs(node: Project['nodes'][number]): string[] {
  if (node.data.kind === 'model') return [refKey(node.data.path, undefined)];
  if (node.data.kind === 'lora') return [refKey(node.data.adapter, 'lora')];
  if (node.data.kind === 'fisher') return [refKey(node.data.file, 'fisher'), refKey(node.data.file, undefined)];
  return [];
}

/**
 * The graph with each Model node's path (LoRA node's adapter, Fisher node's file) that names a
 * recorded input replaced by `paths`' entry; an Output's (or a stage's merge or Layer assembly node's) tokenizer source naming a
 * recorded model follows it.
 */
export function withInputPaths(graph: Project, paths: ReadonlyMap<string, string>): Project {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      if (n.data.kind === 'output' || n.data.kind === 'merge' || n.data.kind === 'layerAssembly') {
        const tok = n.data.tokenizerSource;
        const moved = tok === undefined || tok === 'base' || tok === 'union' ? undefined : paths.get(refKey(tok, undefined));
        return moved === undefined ? n : { ...n, data: { ...n.data, tokenizerSource: moved } };
      }
      const path = nodeRefs(n)
        .map((ref) => paths.get(ref))
        .find((p) => p !== undefined);
      if (path === undefined) return n;
      if (n.data.kind === 'model') return { ...n, data: { ...n.data, path } };
      if (n.data.kind === 'lora') return { ...n, data: { ...n.data, adapter: path } };
      if (n.data.kind === 'fisher') return { ...n, data: { ...n.data, file: path } };
      return n;
    }),
  };
}

/**
 * A graph recorded by a recipe run (`./name` as its Output folder) or a project with relative paths
 * means nothing relative once reopened as an unsaved project: its only Output node, when relative,
 * is pointed at the output actually written.
 */
export function withOutputFolder(graph: Project, outputFolder: string): Project {
  const outputs = graph.nodes.filter((n) => n.data.kind === 'output');
  if (outputs.length !== 1) return graph;
  const [only] = outputs;
  if (only.data.kind !== 'output' || isAbsolute(only.data.folder) || only.data.folder.startsWith('~')) return graph;
  return { ...graph, nodes: graph.nodes.map((n) => (n === only && n.data.kind === 'output' ? { ...n, data: { ...n.data, folder: outputFolder } } : n)) };
}

async function recordedGraph(output: string): Promise<{ provenance: Provenance; graph: Project }> {
  const provenance = await readProvenance(resolve(output));
  const graph = provenance.graph ?? recipeGraph(provenance.recipe);
  if (graph === undefined) throw new InputError(`${provenance.checkpoint.path}: its recipe cannot be shown as a graph`, provenance.checkpoint.path);
  return { provenance, graph };
}

/** `crucible recipe extract`: every input must be found (InputError naming the first that is not). */
export async function extractGraph(output: string, modelsRoot?: string): Promise<ExtractedGraph> {
  const { provenance, graph } = await recordedGraph(output);
  const inputs = await resolveInputs(allRecordedInputs(provenance), searchRoots(provenance.checkpoint.folder, modelsRoot));
  const paths = new Map(inputs.map((i) => [refKey(i.model, i.kind), i.path]));
  return { provenance, inputs, graph: withInputPaths(graph, paths) };
}

/**
 * The app's "Open recipe from output folder": inputs that cannot be found are reported (their
 * nodes point at the recorded path) instead of refusing the whole graph.
 */
export async function reopenGraph(output: string, modelsRoot?: string): Promise<ReopenedGraph> {
  const { provenance, graph: recorded } = await recordedGraph(output);
  const located = await locateInputs(allRecordedInputs(provenance), searchRoots(provenance.checkpoint.folder, modelsRoot));
  const withInputs = withInputPaths(recorded, new Map(located.map((i) => [refKey(i.model, i.kind), i.found ? i.path : i.recordedPath])));
  const graph = withOutputFolder(withInputs, provenance.checkpoint.folder);
  const inputs = located.map((input) => ({
    ...input,
    nodeIds: recorded.nodes.filter((n) => nodeRefs(n).includes(refKey(input.model, input.kind))).map((n) => n.id),
  }));
  return { provenance, inputs, graph };
}
