/** Applies permutations to tensors: per axis an index map (gather), built from every ref on that axis. */
import type { AxisRef, Permutations } from './permutation-spec.js';

/** Any typed array of elements (float32 values, or raw stored elements of 1, 2, 4 or 8 bytes). */
export type Elements = Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array;

/** out index i along the axis takes input index map[i]; null when nothing moves. */
export function axisIndexMap(refs: readonly AxisRef[], axis: number, length: number, perms: Permutations): Int32Array | null {
  const mine = refs.filter((r) => r.axis === axis);
  if (mine.length === 0) return null;
  const map = Int32Array.from({ length }, (_, i) => i);
  for (const r of mine) {
    const p = perms.get(r.perm);
    if (!p) throw new Error(`no permutation ${r.perm}`);
    for (let u = 0; u < r.units; u++) {
      const to = r.offset + u * r.blockSize;
      const from = r.offset + p[u] * r.blockSize;
      for (let e = 0; e < r.blockSize; e++) map[to + e] = from + e;
    }
  }
  return map;
}

/** out[i0, i1] = x[map0[i0], map1[i1]] for a 1-D or 2-D tensor (null maps leave the axis alone). */
export function gatherTensor<T extends Elements>(x: T, shape: readonly number[], maps: readonly (Int32Array | null)[]): T {
  const out = new (x.constructor as new (n: number) => T)(x.length);
  if (shape.length === 1) {
    const m = maps[0];
    for (let i = 0; i < x.length; i++) out[i] = x[m ? m[i] : i];
    return out;
  }
  if (shape.length !== 2) throw new Error(`only 1-D and 2-D tensors can be permuted (shape [${shape.join(', ')}])`);
  const [rows, cols] = shape;
  const m0 = maps[0];
  const m1 = maps[1];
  for (let r = 0; r < rows; r++) {
    const src = (m0 ? m0[r] : r) * cols;
    const dst = r * cols;
    if (m1) for (let c = 0; c < cols; c++) out[dst + c] = x[src + m1[c]];
    else out.set(x.subarray(src, src + cols) as never, dst);
  }
  return out;
}

/** The tensor with every permutation of its refs applied. */
export function permuteTensor<T extends Elements>(x: T, shape: readonly number[], refs: readonly AxisRef[], perms: Permutations): T {
  const maps = shape.map((len, axis) => axisIndexMap(refs, axis, len, perms));
  return maps.every((m) => m === null) ? x : gatherTensor(x, shape, maps);
}

/** The inverse permutation: inv[p[i]] = i. */
export function invertPermutation(p: Int32Array): Int32Array {
  const inv = new Int32Array(p.length);
  p.forEach((v, i) => (inv[v] = i));
  return inv;
}
