/** Permutation spec of a plain MLP (Linear layers [out, in], optional biases): one group per hidden layer. */
import type { AxisRef, PermGroup, PermutationSpec } from './permutation-spec.js';

export interface MlpLayerNames {
  weight: string;
  bias?: string;
}

/** `layers` in order (shapes from `shapes`, Linear [out, in]); hidden layer l, between layers l and l+1, is group `hidden.l`. */
export function mlpPermutationSpec(layers: readonly MlpLayerNames[], shapes: ReadonlyMap<string, readonly number[]>): PermutationSpec {
  const groups: PermGroup[] = [];
  const refs: AxisRef[] = [];
  const shapeOf = (name: string) => {
    const s = shapes.get(name);
    if (!s) throw new Error(`MLP spec: no shape for ${name}`);
    return s;
  };
  for (let l = 0; l + 1 < layers.length; l++) {
    const size = shapeOf(layers[l].weight)[0];
    const perm = `hidden.${l}`;
    groups.push({ kind: 'units', id: perm, perm, size });
    refs.push({ tensor: layers[l].weight, axis: 0, offset: 0, blockSize: 1, units: size, perm });
    if (layers[l].bias) refs.push({ tensor: layers[l].bias!, axis: 0, offset: 0, blockSize: 1, units: size, perm });
    refs.push({ tensor: layers[l + 1].weight, axis: 1, offset: 0, blockSize: 1, units: size, perm });
  }
  const covered = new Map<string, readonly number[]>();
  for (const l of layers) {
    covered.set(l.weight, shapeOf(l.weight));
    if (l.bias) covered.set(l.bias, shapeOf(l.bias));
  }
  return { groups, refs, shapes: covered };
}
