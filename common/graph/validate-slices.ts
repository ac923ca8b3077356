/**
 * Validation of a Layer assembly node, shown on the node: what compiling refuses (no rows, a source
 * without a model, an empty range), then each row against its method (one source per row for
 * passthrough, the base among the sources, the number of models), the sources of a row having as
 * many layers, ranges within the connected input's layer count when known (an earlier stage's too), the
 * models' tensor shapes agreeing across rows, and the parameters.
 */
import type { CheckpointSummary } from '../contract/checkpoint.js';
import { getMethod } from '../methods/registry.js';
import type { MethodDescriptor } from '../methods/types.js';
import { compileLayerAssembly } from './compile-slices.js';
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';
import { assemblyInputs } from './layer-assembly.js';
import type { LayerAssemblyNodeData, SliceRowData } from './layer-assembly-schema.js';
import { nodeLabel } from './node-label.js';
import { isEmbeddingLike } from './tensor-naming.js';
import { inputLayerCount } from './input-layers.js';
import { validateParams } from './validate-params.js';
import { invalid, VALID, type Validity } from './validity.js';
import type { HeaderLookup } from './validate-graph.js';

/** A model input's header, when known: a Model node's, or for a LoRA node its base's (an adapter keeps the shapes). */
function summaryOf(g: GraphLike, inputId: string, headers: HeaderLookup): CheckpointSummary | undefined {
  const n = nodeById(g, inputId);
  if (n?.data.kind === 'lora') {
    const [e] = edgesInto(g, inputId, 'base');
    return e ? summaryOf(g, e.source, headers) : undefined;
  }
  if (n?.data.kind !== 'model') return undefined;
  const h = headers(n.data.path);
  return h?.state === 'ok' ? h.summary : undefined;
}

function rowName(data: LayerAssemblyNodeData, i: number): string {
  return data.rows.length > 1 ? `Row ${i + 1}` : 'The row';
}

function checkRowMethod(method: MethodDescriptor, row: SliceRowData, baseId: string | undefined, where: string, letter: (id: string) => string): Validity {
  if (method.family === 'assembly') {
    if (row.sources.length !== 1) {
      return invalid(`${where} has ${row.sources.length} sources: ${method.label} copies one source per row; choose a merge method to blend several.`);
    }
    return VALID;
  }
  const isBase = (id: string) => baseId !== undefined && id === baseId;
  if (baseId !== undefined && !row.sources.some((s) => isBase(s.input))) {
    return invalid(`${where}: the base (${letter(baseId)}) must be one of the row's sources (mergekit's rule for slices).`);
  }
  const n = row.sources.filter((s) => !isBase(s.input)).length;
  const besides = method.base === 'none' ? '' : ' besides the base';
  if (n < method.minModels) return invalid(`${where}: ${method.label} needs at least ${method.minModels} model${method.minModels === 1 ? '' : 's'}${besides}, got ${n}.`);
  if (method.maxModels !== undefined && n > method.maxModels) {
    return invalid(`${where}: ${method.label} takes at most ${method.maxModels} model${method.maxModels === 1 ? '' : 's'}${besides}, got ${n}.`);
  }
  return VALID;
}

/** Name of a tensor with its layer index replaced, so layer i of one model meets layer j of another. */
function layerFreeName(name: string, layer: number | null): string {
  return layer === null ? name : name.replace(new RegExp(`(^|\\.)${layer}(\\.|$)`), '$1#$2');
}

/** Rows stack layers of different models: their layer tensors (any layer) and other tensors must have the same shapes. */
function checkShapes(inputs: { name: string; summary: CheckpointSummary }[]): Validity {
  const seen = new Map<string, { shape: number[]; owner: string }>();
  for (const { name, summary } of inputs) {
    for (const t of summary.tensors) {
      const key = layerFreeName(t.name, t.layer);
      const first = seen.get(key);
      if (!first) {
        seen.set(key, { shape: t.shape, owner: name });
        continue;
      }
      const s = first.shape;
      if (s.length === t.shape.length && s.every((d, i) => d === t.shape[i])) continue;
      const vocabOnly = isEmbeddingLike(t.name) && s.length === t.shape.length && s.slice(1).every((d, i) => d === t.shape[i + 1]);
      if (vocabOnly || first.owner === name) continue;
      return invalid(`Shapes differ between rows: ${key.replace('#', 'N')} is [${s.join(', ')}] in ${first.owner}, [${t.shape.join(', ')}] in ${name}.`);
    }
  }
  return VALID;
}

export function validateLayerAssembly(g: GraphLike, id: string, headers: HeaderLookup): Record<string, Validity> {
  const node = nodeById(g, id);
  if (!node || node.data.kind !== 'layerAssembly') return {};
  const data = node.data;
  const method = getMethod(data.method);
  if (!method) return { [id]: invalid(`Unknown merge method '${data.method}'.`) };
  const compiled = compileLayerAssembly(g, id);
  if (!compiled.ok) {
    // An input that is not ready says so itself; the node says it waits for it.
    return compiled.nodeId === id ? { [id]: invalid(compiled.reason) } : { [compiled.nodeId]: invalid(compiled.reason), [id]: invalid(`An input is not ready: ${compiled.reason}`) };
  }
  const inputs = assemblyInputs(g, id);
  const label = (inputId: string): string => {
    const n = nodeById(g, inputId);
    const letter = inputs.find((i) => i.id === inputId)?.letter ?? '?';
    return n ? `${letter}, ${nodeLabel(n.data)}` : letter;
  };
  const [baseEdge] = method.base === 'none' ? [] : edgesInto(g, id, 'base');
  if (method.base === 'required' && !baseEdge) return { [id]: invalid(`${method.label} needs a base model: connect a Model to Base.`) };
  const baseId = baseEdge?.source;

  for (const [i, row] of data.rows.entries()) {
    const where = rowName(data, i);
    const m = checkRowMethod(method, row, baseId, where, label);
    if (!m.ok) return { [id]: m };
    const lengths = row.sources.map((s) => s.range[1] - s.range[0]);
    if (lengths.some((l) => l !== lengths[0])) {
      return { [id]: invalid(`${where}: its sources must have the same number of layers (${row.sources.map((s, k) => `${label(s.input)}: ${lengths[k]}`).join('; ')}).`) };
    }
    for (const s of row.sources) {
      const count = inputLayerCount(g, s.input, headers);
      if (count !== null && count !== undefined && s.range[1] > count) {
        return { [id]: invalid(`${where}: layers ${s.range[0]}–${s.range[1]} of ${label(s.input)} go beyond its ${count} layers.`) };
      }
    }
    const perModel = row.sources
      .filter((s) => s.input !== baseId || method.base === 'none')
      .map((s) => ({ name: label(s.input), params: s.params, weightImplied: false }));
    const params = validateParams(method, { ...data.params, ...row.params }, perModel);
    if (!params.ok) return { [id]: invalid(`${where}: ${params.reason}`) };
  }

  const known = inputs.flatMap((i) => {
    const summary = summaryOf(g, i.id, headers);
    return summary ? [{ name: label(i.id), summary }] : [];
  });
  const shapes = checkShapes(known);
  return { [id]: shapes };
}
