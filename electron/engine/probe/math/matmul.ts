/**
 * Matrix products of the forward pass. Every weight matrix is used in HF's nn.Linear layout
 * [out, in] (GPT-2's Conv1D weights, stored [in, out], are transposed once when loaded), so one
 * product covers every layer: y[r, o] = Σ_i x[r, i] · W[o, i] (+ bias[o]).
 */

export interface LinearArgs {
  /** Input rows [rows, inDim], row-major. */
  x: Float32Array;
  rows: number;
  /** Weights [outDim, inDim], row-major. */
  w: Float32Array;
  outDim: number;
  inDim: number;
  /** Optional bias [outDim]. */
  bias?: Float32Array;
  /** Output [rows, outDim], row-major. */
  y: Float32Array;
}

/** Where matrix products run: the TypeScript loops below, or WebAssembly SIMD workers (wasm/). */
export interface MatmulBackend {
  readonly name: string;
  linear(args: LinearArgs): void | Promise<void>;
  /** Releases workers, if any. */
  close?(): Promise<void>;
}

/**
 * Hand-written because no maintained npm package offers a blocked float32 GEMM in plain
 * TypeScript; this is the correctness reference and the fallback. Rows of x and rows of W are
 * both contiguous, so each output is a dot product of two contiguous vectors; a 2 × 4 register
 * tile reuses every load (measured about 3× faster than the naive loop here). Accumulates in
 * float64 (JavaScript numbers), rounds once on store.
 */
export function linearTs({ x, rows, w, outDim, inDim, bias, y }: LinearArgs): void {
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const x0 = r * inDim;
    const x1 = x0 + inDim;
    const y0 = r * outDim;
    const y1 = y0 + outDim;
    let o = 0;
    for (; o + 3 < outDim; o += 4) {
      const w0 = o * inDim;
      const w1 = w0 + inDim;
      const w2 = w1 + inDim;
      const w3 = w2 + inDim;
      let a00 = 0, a01 = 0, a02 = 0, a03 = 0;
      let a10 = 0, a11 = 0, a12 = 0, a13 = 0;
      for (let i = 0; i < inDim; i++) {
        const p = x[x0 + i];
        const q = x[x1 + i];
        const c0 = w[w0 + i];
        const c1 = w[w1 + i];
        const c2 = w[w2 + i];
        const c3 = w[w3 + i];
        a00 += p * c0; a01 += p * c1; a02 += p * c2; a03 += p * c3;
        a10 += q * c0; a11 += q * c1; a12 += q * c2; a13 += q * c3;
      }
      if (bias) {
        const b0 = bias[o], b1 = bias[o + 1], b2 = bias[o + 2], b3 = bias[o + 3];
        a00 += b0; a01 += b1; a02 += b2; a03 += b3;
        a10 += b0; a11 += b1; a12 += b2; a13 += b3;
      }
      y[y0 + o] = a00; y[y0 + o + 1] = a01; y[y0 + o + 2] = a02; y[y0 + o + 3] = a03;
      y[y1 + o] = a10; y[y1 + o + 1] = a11; y[y1 + o + 2] = a12; y[y1 + o + 3] = a13;
    }
    for (; o < outDim; o++) {
      const w0 = o * inDim;
      let a0 = bias ? bias[o] : 0;
      let a1 = a0;
      for (let i = 0; i < inDim; i++) {
        a0 += x[x0 + i] * w[w0 + i];
        a1 += x[x1 + i] * w[w0 + i];
      }
      y[y0 + o] = a0;
      y[y1 + o] = a1;
    }
  }
  for (; r < rows; r++) {
    const x0 = r * inDim;
    const y0 = r * outDim;
    for (let o = 0; o < outDim; o++) {
      const w0 = o * inDim;
      let a = bias ? bias[o] : 0;
      for (let i = 0; i < inDim; i++) a += x[x0 + i] * w[w0 + i];
      y[y0 + o] = a;
    }
  }
}

/** The naive triple loop, single-threaded: the benchmark's baseline and a test oracle. */
export function linearNaive({ x, rows, w, outDim, inDim, bias, y }: LinearArgs): void {
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outDim; o++) {
      let a = 0;
      for (let i = 0; i < inDim; i++) a += x[r * inDim + i] * w[o * inDim + i];
      y[r * outDim + o] = a + (bias ? bias[o] : 0);
    }
  }
}

export const TS_MATMUL: MatmulBackend = { name: 'ts', linear: linearTs };

/** [rows, cols] → [cols, rows] (GPT-2's Conv1D weights into Linear layout). */
export function transpose(src: Float32Array, rows: number, cols: number): Float32Array {
  const dst = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const s = r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[s + c];
  }
  return dst;
}
