/** RMSNorm (Llama) and LayerNorm (GPT-2) over the last dimension, forward and backward. */
import type { Vec } from './vec.js';

/** y = w ⊙ x · inv, inv = 1/sqrt(mean(x²) + eps); returns inv per row (the backward pass needs it). */
export function rmsNormForward(x: Vec, rows: number, dim: number, w: Vec, eps: number, y: Vec): Float64Array {
  const inv = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += x[o + i] * x[o + i];
    inv[r] = 1 / Math.sqrt(ss / dim + eps);
    for (let i = 0; i < dim; i++) y[o + i] = w[i] * x[o + i] * inv[r];
  }
  return inv;
}

/** dx += inv·(dy⊙w) − x·inv³·Σ(dy⊙w⊙x)/dim; dw += Σ_rows dy ⊙ x·inv. */
export function rmsNormBackward(x: Vec, rows: number, dim: number, w: Vec, inv: Float64Array, dy: Vec, dx: Vec, dw: Vec): void {
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    const s = inv[r];
    let dot = 0;
    for (let i = 0; i < dim; i++) {
      dw[i] += dy[o + i] * x[o + i] * s;
      dot += dy[o + i] * w[i] * x[o + i];
    }
    const c = (s * s * s * dot) / dim;
    for (let i = 0; i < dim; i++) dx[o + i] += s * dy[o + i] * w[i] - x[o + i] * c;
  }
}

export interface LayerNormCache {
  mean: Float64Array;
  inv: Float64Array;
}

/** y = (x − mean)·inv ⊙ w + b, inv = 1/sqrt(var + eps), var biased. */
export function layerNormForward(x: Vec, rows: number, dim: number, w: Vec, b: Vec, eps: number, y: Vec): LayerNormCache {
  const mean = new Float64Array(rows);
  const inv = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) s += x[o + i];
    const m = s / dim;
    let v = 0;
    for (let i = 0; i < dim; i++) v += (x[o + i] - m) ** 2;
    mean[r] = m;
    inv[r] = 1 / Math.sqrt(v / dim + eps);
    for (let i = 0; i < dim; i++) y[o + i] = (x[o + i] - m) * inv[r] * w[i] + b[i];
  }
  return { mean, inv };
}

/** dx += inv·(g − mean(g) − x̂·mean(g⊙x̂)) with g = dy⊙w; dw += Σ dy⊙x̂; db += Σ dy. */
export function layerNormBackward(x: Vec, rows: number, dim: number, w: Vec, c: LayerNormCache, dy: Vec, dx: Vec, dw: Vec, db: Vec): void {
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    const m = c.mean[r];
    const s = c.inv[r];
    let sg = 0;
    let sgx = 0;
    for (let i = 0; i < dim; i++) {
      const xh = (x[o + i] - m) * s;
      const g = dy[o + i] * w[i];
      dw[i] += dy[o + i] * xh;
      db[i] += dy[o + i];
      sg += g;
      sgx += g * xh;
    }
    sg /= dim;
    sgx /= dim;
    for (let i = 0; i < dim; i++) {
      const xh = (x[o + i] - m) * s;
      dx[o + i] += s * (dy[o + i] * w[i] - sg - xh * sgx);
    }
  }
}
