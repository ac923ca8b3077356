/**
 * Causal softmax attention over one window with grouped KV heads (query head h reads KV head
 * ⌊h / (heads / kvHeads)⌋, HF's repeat_kv), scores scaled by 1/sqrt(headDim); forward keeps the
 * attention probabilities for the backward pass:
 *   dV_u += Σ_t P[t,u]·dO_t,  dP[t,u] = dO_t·V_u,  dS = P ⊙ (dP − Σ_u P·dP),
 *   dQ_t = scale·Σ_u dS[t,u]·K_u,  dK_u += scale·Σ_t dS[t,u]·Q_t.
 */
import type { Vec } from './vec.js';

export interface AttentionDims {
  rows: number;
  heads: number;
  kvHeads: number;
  headDim: number;
}

/** q [rows, heads·D], k and v [rows, kvHeads·D] → out [rows, heads·D]; returns P [heads, rows, rows]. */
export function attentionForward(s: AttentionDims, q: Vec, k: Vec, v: Vec, out: Vec): Float64Array {
  const { rows: T, heads, kvHeads, headDim: D } = s;
  const G = heads / kvHeads;
  const scale = 1 / Math.sqrt(D);
  const qs = heads * D;
  const ks = kvHeads * D;
  const P = new Float64Array(heads * T * T);
  for (let h = 0; h < heads; h++) {
    const j = Math.floor(h / G);
    for (let t = 0; t < T; t++) {
      const row = (h * T + t) * T;
      let max = -Infinity;
      for (let u = 0; u <= t; u++) {
        let d = 0;
        for (let i = 0; i < D; i++) d += q[t * qs + h * D + i] * k[u * ks + j * D + i];
        P[row + u] = d * scale;
        if (P[row + u] > max) max = P[row + u];
      }
      let sum = 0;
      for (let u = 0; u <= t; u++) {
        P[row + u] = Math.exp(P[row + u] - max);
        sum += P[row + u];
      }
      for (let u = 0; u <= t; u++) P[row + u] /= sum;
      for (let i = 0; i < D; i++) {
        let acc = 0;
        for (let u = 0; u <= t; u++) acc += P[row + u] * v[u * ks + j * D + i];
        out[t * qs + h * D + i] = acc;
      }
    }
  }
  return P;
}

/** Adds into dq, dk, dv. */
export function attentionBackward(s: AttentionDims, q: Vec, k: Vec, v: Vec, P: Float64Array, dout: Vec, dq: Vec, dk: Vec, dv: Vec): void {
  const { rows: T, heads, kvHeads, headDim: D } = s;
  const G = heads / kvHeads;
  const scale = 1 / Math.sqrt(D);
  const qs = heads * D;
  const ks = kvHeads * D;
  const dP = new Float64Array(T);
  for (let h = 0; h < heads; h++) {
    const j = Math.floor(h / G);
    for (let t = 0; t < T; t++) {
      const row = (h * T + t) * T;
      const o = t * qs + h * D;
      let dot = 0;
      for (let u = 0; u <= t; u++) {
        let d = 0;
        for (let i = 0; i < D; i++) {
          d += dout[o + i] * v[u * ks + j * D + i];
          dv[u * ks + j * D + i] += P[row + u] * dout[o + i];
        }
        dP[u] = d;
        dot += P[row + u] * d;
      }
      for (let u = 0; u <= t; u++) {
        const dS = P[row + u] * (dP[u] - dot) * scale;
        if (dS === 0) continue;
        for (let i = 0; i < D; i++) {
          dq[o + i] += dS * k[u * ks + j * D + i];
          dk[u * ks + j * D + i] += dS * q[o + i];
        }
      }
    }
  }
}
