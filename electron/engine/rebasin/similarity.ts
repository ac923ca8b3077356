/**
 * The weight-matching score of one permutation: S[i, j] = Σ over the tensors it acts on of
 * ⟨A's unit i, B's unit j⟩, with B's other axes already permuted by the current state (so S is the
 * objective's dependence on this permutation alone). Dot products in float64.
 */
import type { MatmulBackend } from '../probe/math/matmul.js';
import type { AxisRef, Permutations } from './permutation-spec.js';
import { axisIndexMap } from './permute-tensor.js';

/** s[i·n + j] += Σ_k a[i·m + k] · b[j·m + k]: the score matrices' one hot loop. */
export type GramProduct = (s: Float64Array, a: Float32Array, b: Float32Array, n: number, m: number) => void | Promise<void>;

/**
 * The Gram product on a probe matmul backend (WebAssembly SIMD workers): a · bᵀ is exactly
 * nn.Linear's y = x·Wᵀ with x = a, W = b. Float32 products summed in float32 (the TypeScript
 * accumulateGram sums in float64); the assignment is exact on whichever scores it is given.
 */
export function matmulGram(mm: MatmulBackend): GramProduct {
  return async (s, a, b, n, m) => {
    const y = new Float32Array(n * n);
    await mm.linear({ x: a, rows: n, w: b, outDim: n, inDim: m, y });
    for (let i = 0; i < y.length; i++) s[i] += y[i];
  };
}

export interface WeightSet {
  get(name: string): Float32Array | undefined;
}

/** units [n, m]: unit u's elements of x (along ref.axis), other axes gathered through `other`. */
export function unitMatrix(x: Float32Array, shape: readonly number[], ref: AxisRef, other: Int32Array | null): Float32Array {
  const { units: n, blockSize: bs, offset } = ref;
  if (shape.length === 1) return x.slice(offset, offset + n * bs);
  const [rows, cols] = shape;
  if (ref.axis === 0) {
    const out = new Float32Array(n * bs * cols);
    for (let r = 0; r < n * bs; r++) {
      const src = (offset + r) * cols;
      const dst = r * cols;
      if (other) for (let c = 0; c < cols; c++) out[dst + c] = x[src + other[c]];
      else out.set(x.subarray(src, src + cols), dst);
    }
    return out;
  }
  const m = rows * bs;
  const out = new Float32Array(n * m);
  for (let u = 0; u < n; u++) {
    for (let r = 0; r < rows; r++) {
      const src = (other ? other[r] : r) * cols + offset + u * bs;
      const dst = u * m + r * bs;
      for (let e = 0; e < bs; e++) out[dst + e] = x[src + e];
    }
  }
  return out;
}

/** s[i·n + j] += Σ_k a[i·m + k] · b[j·m + k], float64 (2 × 2 register tiles). */
export function accumulateGram(s: Float64Array, a: Float32Array, b: Float32Array, n: number, m: number): void {
  let i = 0;
  for (; i < n; i += 2) {
    const i1 = Math.min(i + 1, n - 1);
    const a0 = i * m;
    const a1 = i1 * m;
    for (let j = 0; j < n; j += 2) {
      const j1 = Math.min(j + 1, n - 1);
      const b0 = j * m;
      const b1 = j1 * m;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let k = 0; k < m; k++) {
        const x0 = a[a0 + k], x1 = a[a1 + k], y0 = b[b0 + k], y1 = b[b1 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      s[i * n + j] += s00;
      if (j1 !== j) s[i * n + j1] += s01;
      if (i1 !== i) {
        s[i1 * n + j] += s10;
        if (j1 !== j) s[i1 * n + j1] += s11;
      }
    }
  }
}

/** S for permutation `perm` (n units), given B's current permutations of every other axis. */
export async function permutationScore(
  perm: string,
  n: number,
  refsOfPerm: readonly AxisRef[],
  refsOfTensor: ReadonlyMap<string, readonly AxisRef[]>,
  shapes: ReadonlyMap<string, readonly number[]>,
  a: WeightSet,
  b: WeightSet,
  perms: Permutations,
  gram: GramProduct = accumulateGram,
): Promise<Float64Array> {
  const s = new Float64Array(n * n);
  for (const ref of refsOfPerm) {
    const shape = shapes.get(ref.tensor)!;
    const xa = a.get(ref.tensor);
    const xb = b.get(ref.tensor);
    if (!xa || !xb) throw new Error(`tensor ${ref.tensor} is missing`);
    const otherAxis = shape.length === 2 ? 1 - ref.axis : -1;
    const other = otherAxis >= 0 ? axisIndexMap(refsOfTensor.get(ref.tensor) ?? [], otherAxis, shape[otherAxis], perms) : null;
    const ua = unitMatrix(xa, shape, ref, null);
    const ub = unitMatrix(xb, shape, ref, other);
    await gram(s, ua, ub, n, ua.length / n);
  }
  return s;
}
