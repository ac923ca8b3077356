/** The assembled layer stack: output layer i comes from layer `offset` of slice `slice`, at position t. */
import { layerPosition } from '../recipe/resolve-param.js';
import type { PlanSlice } from './plan-slices.js';

export interface StackLayer {
  /** Output layer index (position in the assembled stack). */
  index: number;
  slice: PlanSlice;
  /** Layer within the slice: source layer = source.range[0] + offset. */
  offset: number;
  /** Gradient position: offset/(length−1), 1 in a one-layer slice. */
  t: number;
}

export function stackLayers(slices: readonly PlanSlice[]): StackLayer[] {
  const layers: StackLayer[] = [];
  for (const slice of slices) {
    for (let offset = 0; offset < slice.length; offset++) {
      layers.push({ index: layers.length, slice, offset, t: layerPosition(offset, slice.length) });
    }
  }
  return layers;
}
