/**
 * Permutation symmetries of a network, as data. A permutation (by key) reorders `units` of one
 * tensor axis: unit u covers indices offset + u·blockSize … + blockSize − 1 of that axis (a hidden
 * unit has block 1, an attention head block head_dim). A group is what one coordinate-descent
 * step solves: a plain group owns one permutation; an attention group owns a query-head
 * permutation and a key/value-head permutation that must agree (each query head stays with its
 * KV head, as grouped-query attention requires).
 */

export interface AxisRef {
  tensor: string;
  axis: number;
  /** Index of unit 0's first element along the axis. */
  offset: number;
  blockSize: number;
  units: number;
  /** Key of the permutation that reorders these units. */
  perm: string;
}

export interface UnitsGroup {
  kind: 'units';
  id: string;
  perm: string;
  size: number;
}

export interface HeadsGroup {
  kind: 'heads';
  id: string;
  /** Query heads (size heads); with kvPerm, KV heads (size kvHeads). */
  qPerm: string;
  kvPerm: string;
  heads: number;
  kvHeads: number;
}

export type PermGroup = UnitsGroup | HeadsGroup;

export interface PermutationSpec {
  groups: PermGroup[];
  refs: AxisRef[];
  /** Every tensor the spec covers, with its shape. */
  shapes: Map<string, readonly number[]>;
}

/** Permutation per key: perm[i] = the unit of the original model that moves to position i. */
export type Permutations = Map<string, Int32Array>;

export function permSizes(spec: PermutationSpec): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const g of spec.groups) {
    if (g.kind === 'units') sizes.set(g.perm, g.size);
    else sizes.set(g.qPerm, g.heads).set(g.kvPerm, g.kvHeads);
  }
  return sizes;
}

export function identityPermutations(spec: PermutationSpec): Permutations {
  const out: Permutations = new Map();
  for (const [key, n] of permSizes(spec)) out.set(key, Int32Array.from({ length: n }, (_, i) => i));
  return out;
}

/** Checks the spec's refs against its shapes and groups (a programming error when it fails). */
export function checkSpec(spec: PermutationSpec): void {
  const sizes = permSizes(spec);
  const perAxis = new Map<string, string>();
  for (const r of spec.refs) {
    const shape = spec.shapes.get(r.tensor);
    if (!shape) throw new Error(`permutation spec: no shape for ${r.tensor}`);
    const n = sizes.get(r.perm);
    if (n === undefined) throw new Error(`permutation spec: ${r.tensor} refers to unknown permutation ${r.perm}`);
    if (n !== r.units) throw new Error(`permutation spec: ${r.tensor} axis ${r.axis} has ${r.units} units of ${r.perm}, which has ${n}`);
    if (r.axis >= shape.length || r.offset + r.units * r.blockSize > shape[r.axis]) {
      throw new Error(`permutation spec: ${r.tensor} [${shape.join(', ')}] axis ${r.axis} cannot hold ${r.units}×${r.blockSize} from ${r.offset}`);
    }
    // One tensor never has the same permutation on two axes: similarity assumes the other axes are fixed.
    const key = `${r.tensor}|${r.perm}`;
    const axis = perAxis.get(key);
    if (axis !== undefined && axis !== String(r.axis)) throw new Error(`permutation spec: ${r.tensor} has ${r.perm} on two axes`);
    perAxis.set(key, String(r.axis));
  }
}
