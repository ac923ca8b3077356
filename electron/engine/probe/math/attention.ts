/**
 * Causal multi-head attention over one window, with grouped KV heads: query head h reads KV head
 * floor(h / (heads / kvHeads)), as HF's repeat_kv does. Scores are scaled by 1/sqrt(headDim).
 */

export interface AttentionShape {
  heads: number;
  kvHeads: number;
  headDim: number;
}

/**
 * q rows have stride qStride, k and v rows kvStride (floats); the window's rows are
 * [rowStart, rowStart + rows). Head h of q occupies columns qCol + h·headDim (likewise k, v).
 * Writes [rows, heads·headDim] into out starting at row rowStart (stride heads·headDim).
 * `scores` is scratch of at least `rows` floats.
 */
export function causalAttention(
  s: AttentionShape,
  q: Float32Array,
  qStride: number,
  qCol: number,
  k: Float32Array,
  v: Float32Array,
  kvStride: number,
  kCol: number,
  vCol: number,
  rowStart: number,
  rows: number,
  out: Float32Array,
  scores: Float64Array,
): void {
  const { heads, kvHeads, headDim } = s;
  if (heads % kvHeads !== 0) throw new Error(`${heads} attention heads are not a multiple of ${kvHeads} key/value heads`);
  const groups = heads / kvHeads;
  const scale = 1 / Math.sqrt(headDim);
  const outStride = heads * headDim;
  const acc = new Float64Array(headDim);
  for (let h = 0; h < heads; h++) {
    const kvh = Math.floor(h / groups);
    const qo = qCol + h * headDim;
    const ko = kCol + kvh * headDim;
    const vo = vCol + kvh * headDim;
    for (let t = 0; t < rows; t++) {
      const qr = (rowStart + t) * qStride + qo;
      let max = Number.NEGATIVE_INFINITY;
      for (let u = 0; u <= t; u++) {
        const kr = (rowStart + u) * kvStride + ko;
        let d = 0;
        for (let i = 0; i < headDim; i++) d += q[qr + i] * k[kr + i];
        const sc = d * scale;
        scores[u] = sc;
        if (sc > max) max = sc;
      }
      let sum = 0;
      for (let u = 0; u <= t; u++) {
        const e = Math.exp(scores[u] - max);
        scores[u] = e;
        sum += e;
      }
      const or = (rowStart + t) * outStride + h * headDim;
      // Rows of v are contiguous: accumulate them weighted, one row at a time.
      acc.fill(0, 0, headDim);
      for (let u = 0; u <= t; u++) {
        const p = scores[u];
        const vr = (rowStart + u) * kvStride + vo;
        for (let i = 0; i < headDim; i++) acc[i] += p * v[vr + i];
      }
      for (let i = 0; i < headDim; i++) out[or + i] = acc[i] / sum;
    }
  }
}
