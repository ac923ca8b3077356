/**
 * y = x·Wᵀ + b over rows (nn.Linear, W [out, in]) or y = x·W + b (GPT-2's Conv1D, W [in, out]),
 * and its backward pass: dx = dy·W (resp. dy·Wᵀ), dW += dyᵀ·x (resp. xᵀ·dy) in the stored layout,
 * db += Σ_rows dy.
 */
import type { Vec } from './vec.js';

export interface LinearShape {
  rows: number;
  inDim: number;
  outDim: number;
  /** 'out-in': nn.Linear's [out, in]; 'in-out': Conv1D's [in, out]. */
  layout: 'out-in' | 'in-out';
}

export function linearForward(s: LinearShape, x: Vec, w: Vec, b: Vec | undefined, y: Vec): void {
  const { rows, inDim: I, outDim: O } = s;
  for (let r = 0; r < rows; r++) {
    const xr = r * I;
    for (let o = 0; o < O; o++) {
      let acc = b ? b[o] : 0;
      if (s.layout === 'out-in') for (let i = 0; i < I; i++) acc += x[xr + i] * w[o * I + i];
      else for (let i = 0; i < I; i++) acc += x[xr + i] * w[i * O + o];
      y[r * O + o] = acc;
    }
  }
}

/** Adds into dx (when given), dw and db (when given). */
export function linearBackward(s: LinearShape, x: Vec, w: Vec, dy: Vec, dx: Vec | undefined, dw: Vec, db: Vec | undefined): void {
  const { rows, inDim: I, outDim: O } = s;
  for (let r = 0; r < rows; r++) {
    const xr = r * I;
    for (let o = 0; o < O; o++) {
      const g = dy[r * O + o];
      if (g === 0) continue;
      if (db) db[o] += g;
      if (s.layout === 'out-in') {
        const wo = o * I;
        for (let i = 0; i < I; i++) dw[wo + i] += g * x[xr + i];
        if (dx) for (let i = 0; i < I; i++) dx[xr + i] += g * w[wo + i];
      } else {
        for (let i = 0; i < I; i++) dw[i * O + o] += g * x[xr + i];
        if (dx) for (let i = 0; i < I; i++) dx[xr + i] += g * w[i * O + o];
      }
    }
  }
}
