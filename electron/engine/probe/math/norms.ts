/** Normalisations over the last dimension, in place or into dst (HF's LlamaRMSNorm and nn.LayerNorm). */

/** dst[r] = w ⊙ (x[r] / sqrt(mean(x[r]²) + eps)): no mean subtraction, no bias (Llama, Qwen2). */
export function rmsNorm(x: Float32Array, rows: number, dim: number, w: Float32Array, eps: number, dst: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += x[o + i] * x[o + i];
    // HF computes the inverse RMS in float32 and rounds x·inv before multiplying by w.
    const inv = Math.fround(1 / Math.sqrt(Math.fround(Math.fround(ss / dim) + eps)));
    for (let i = 0; i < dim; i++) dst[o + i] = w[i] * Math.fround(x[o + i] * inv);
  }
}

/** dst[r] = (x[r] − mean) / sqrt(var + eps) ⊙ w + b, var biased (divide by n): GPT-2's LayerNorm. */
export function layerNorm(
  x: Float32Array,
  rows: number,
  dim: number,
  w: Float32Array,
  b: Float32Array,
  eps: number,
  dst: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) s += x[o + i];
    const mean = s / dim;
    let v = 0;
    for (let i = 0; i < dim; i++) {
      const d = x[o + i] - mean;
      v += d * d;
    }
    const inv = 1 / Math.sqrt(v / dim + eps);
    for (let i = 0; i < dim; i++) dst[o + i] = (x[o + i] - mean) * inv * w[i] + b[i];
  }
}
