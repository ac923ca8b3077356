/**
 * A LoRA update applied to a base tensor, in float32 as PEFT merges it: ΔW = scale · (B·A), or
 * its transpose (embeddings, fan_in_fan_out), then W' = W + ΔW. Each entry of B·A is a float64 sum
 * over the rank rounded once to float32 (PEFT's float32 matmul differs by at most a few ulps; the
 * fixture's tolerance is 1e-6), then multiplied by the float32-rounded scale and added to W, each
 * step rounded to float32.
 */

export interface LoraFactors {
  /** [rank, inDim], row-major float32. */
  a: Float32Array;
  /** [outDim, rank], row-major float32. */
  b: Float32Array;
  rank: number;
  scale: number;
  /** Write ΔW as [inDim, outDim] (the transpose of B·A). */
  transposed: boolean;
}

/** base (float32, the target's layout) plus the LoRA update, into a new array. */
export function applyLoraUpdate(base: Float32Array, f: LoraFactors): Float32Array {
  const { a, b, rank } = f;
  const inDim = a.length / rank;
  const outDim = b.length / rank;
  if (base.length !== inDim * outDim) throw new Error(`LoRA update of ${outDim}×${inDim} does not fit a tensor of ${base.length} elements`);
  const scale = Math.fround(f.scale);
  const out = new Float32Array(base.length);
  for (let o = 0; o < outDim; o++) {
    for (let i = 0; i < inDim; i++) {
      let s = 0;
      for (let k = 0; k < rank; k++) s += b[o * rank + k] * a[k * inDim + i];
      const d = Math.fround(Math.fround(s) * scale);
      const at = f.transposed ? i * outDim + o : o * inDim + i;
      out[at] = base[at] + d;
    }
  }
  return out;
}
