/**
 * Every output tensor with the input tensor each source contributes: tensors before the layer
 * stack from the first slice, the stack's layers renumbered by their position in it, tensors after
 * the stack from the last slice. Order: the donor's own order when the stack is the inputs' own
 * (no renumbering), else embeddings, layers in output order, then the head.
 */
import type { PlanSlice, PlanSource } from './plan-slices.js';
import type { StackLayer } from './stack-layers.js';
import { splitLayerName, stackSide, withLayer, type LayerName } from './tensor-names.js';

export interface SourceTensor {
  source: PlanSource;
  /** The tensor's name in that source (before renumbering). */
  inputName: string;
}

export interface OutputTensorSpec {
  name: string;
  /** Output layer index, or null outside the stack. */
  layer: number | null;
  /** Gradient position (0 outside the stack: spec §1). */
  t: number;
  slice: PlanSlice;
  /** Every source of the slice, whether or not it has the tensor. */
  inputs: SourceTensor[];
}

export function outputTensorSpecs(slices: readonly PlanSlice[], layers: readonly StackLayer[], donor: PlanSource): OutputTensorSpec[] {
  const specs = new Map<string, OutputTensorSpec>();
  const outside = (slice: PlanSlice, side: 'pre' | 'post') => {
    for (const source of ordered(slice.sources)) {
      for (const name of source.model.names()) {
        if (specs.has(name) || splitLayerName(name) !== null || stackSide(name) !== side) continue;
        specs.set(name, { name, layer: null, t: 0, slice, inputs: slice.sources.map((s) => ({ source: s, inputName: name })) });
      }
    }
  };
  outside(slices[0], 'pre');
  const byLayer = new Map<PlanSource['model'], Map<number, LayerName[]>>();
  for (const layer of layers) {
    for (const source of ordered(layer.slice.sources)) {
      const names = layerNames(byLayer, source).get(source.range[0] + layer.offset) ?? [];
      for (const ln of names) {
        const name = withLayer(ln, layer.index);
        if (specs.has(name)) continue;
        const inputs = layer.slice.sources.map((s) => ({ source: s, inputName: withLayer(ln, s.range[0] + layer.offset) }));
        specs.set(name, { name, layer: layer.index, t: layer.t, slice: layer.slice, inputs });
      }
    }
  }
  outside(slices[slices.length - 1], 'post');
  const list = [...specs.values()];
  return isIdentityStack(slices) ? inDonorOrder(list, donor) : list;
}

/** The base first (it is the donor when there is one), then the others in recipe order. */
function ordered(sources: readonly PlanSource[]): PlanSource[] {
  return [...sources.filter((s) => s.isBase), ...sources.filter((s) => !s.isBase)];
}

function layerNames(cache: Map<PlanSource['model'], Map<number, LayerName[]>>, source: PlanSource): Map<number, LayerName[]> {
  let index = cache.get(source.model);
  if (!index) {
    index = new Map();
    for (const name of source.model.names()) {
      const ln = splitLayerName(name);
      if (!ln) continue;
      const list = index.get(ln.layer) ?? [];
      list.push(ln);
      index.set(ln.layer, list);
    }
    cache.set(source.model, index);
  }
  return index;
}

/** One slice whose sources all start at layer 0: output names are the inputs' own. */
function isIdentityStack(slices: readonly PlanSlice[]): boolean {
  return slices.length === 1 && slices[0].sources.every((s) => s.range[0] === 0);
}

function inDonorOrder(list: OutputTensorSpec[], donor: PlanSource): OutputTensorSpec[] {
  const rank = new Map(donor.model.names().map((n, i) => [n, i]));
  const keyed = list.map((spec, i) => ({ spec, r: rank.get(spec.name) ?? Number.MAX_SAFE_INTEGER, i }));
  keyed.sort((a, b) => a.r - b.r || a.i - b.i);
  return keyed.map((k) => k.spec);
}
