/** One Llama / Mistral / Qwen2 decoder layer over one window: forward with the values its backward pass needs, and the backward pass. */
import type { LlamaLayerNames, LlamaSpec } from '../../probe/arch/language-model-spec.js';
import type { RopeTable } from '../../probe/math/rope.js';
import { siluGateBackward, siluGateForward } from '../grad/activation-grad.js';
import { attentionBackward, attentionForward } from '../grad/attention-grad.js';
import { linearBackward, linearForward } from '../grad/linear-grad.js';
import { rmsNormBackward, rmsNormForward } from '../grad/norm-grad.js';
import { ropeBackward, ropeForward } from '../grad/rope-grad.js';
import { zerosLike, type Vec } from '../grad/vec.js';
import { optWeight, type GradStore, type WeightReader } from './grad-store.js';

export interface LlamaBlockCache {
  h: Vec;
  inv1: Float64Array;
  x1: Vec;
  q: Vec;
  k: Vec;
  v: Vec;
  P: Float64Array;
  att: Vec;
  h1: Vec;
  inv2: Float64Array;
  x2: Vec;
  g: Vec;
  u: Vec;
  a: Vec;
}

const lin = (rows: number, inDim: number, outDim: number) => ({ rows, inDim, outDim, layout: 'out-in' as const });

/** h [T, H] → the layer's output (a new array), with the cache. */
export function llamaBlockForward(s: LlamaSpec, n: LlamaLayerNames, w: WeightReader, h: Vec, T: number, rope: RopeTable): { out: Vec; cache: LlamaBlockCache } {
  const { hidden: H, heads, kvHeads, headDim: D, intermediate: I } = s;
  const qd = heads * D;
  const kd = kvHeads * D;
  const z = (m: number) => zerosLike(h, m);
  const x1 = z(T * H);
  const inv1 = rmsNormForward(h, T, H, w.get(n.inputNorm), s.eps, x1);
  const q = z(T * qd);
  const k = z(T * kd);
  const v = z(T * kd);
  linearForward(lin(T, H, qd), x1, w.get(n.q), optWeight(w, n.qBias), q);
  linearForward(lin(T, H, kd), x1, w.get(n.k), optWeight(w, n.kBias), k);
  linearForward(lin(T, H, kd), x1, w.get(n.v), optWeight(w, n.vBias), v);
  ropeForward(q, T, heads, rope);
  ropeForward(k, T, kvHeads, rope);
  const att = z(T * qd);
  const P = attentionForward({ rows: T, heads, kvHeads, headDim: D }, q, k, v, att);
  const o = z(T * H);
  linearForward(lin(T, qd, H), att, w.get(n.o), optWeight(w, n.oBias), o);
  const h1 = z(T * H);
  for (let i = 0; i < h1.length; i++) h1[i] = h[i] + o[i];
  const x2 = z(T * H);
  const inv2 = rmsNormForward(h1, T, H, w.get(n.postNorm), s.eps, x2);
  const g = z(T * I);
  const u = z(T * I);
  linearForward(lin(T, H, I), x2, w.get(n.gate), optWeight(w, n.gateBias), g);
  linearForward(lin(T, H, I), x2, w.get(n.up), optWeight(w, n.upBias), u);
  const a = z(T * I);
  siluGateForward(g, u, T * I, a);
  const d = z(T * H);
  linearForward(lin(T, I, H), a, w.get(n.down), optWeight(w, n.downBias), d);
  const out = z(T * H);
  for (let i = 0; i < out.length; i++) out[i] = h1[i] + d[i];
  return { out, cache: { h, inv1, x1, q, k, v, P, att, h1, inv2, x2, g, u, a } };
}

/** d(out) → d(h) (a new array); weight gradients added into `grads`. */
export function llamaBlockBackward(s: LlamaSpec, n: LlamaLayerNames, w: WeightReader, c: LlamaBlockCache, dOut: Vec, T: number, rope: RopeTable, grads: GradStore): Vec {
  const { hidden: H, heads, kvHeads, headDim: D, intermediate: I } = s;
  const qd = heads * D;
  const kd = kvHeads * D;
  // Activation gradients are float64 whatever the weights' kind.
  const z = (m: number) => new Float64Array(m);
  const dh1 = Float64Array.from(dOut);
  const dA = z(T * I);
  linearBackward(lin(T, I, H), c.a, w.get(n.down), dOut, dA, grads.of(n.down), grads.opt(n.downBias));
  const dG = z(T * I);
  const dU = z(T * I);
  siluGateBackward(c.g, c.u, dA, T * I, dG, dU);
  const dX2 = z(T * H);
  linearBackward(lin(T, H, I), c.x2, w.get(n.gate), dG, dX2, grads.of(n.gate), grads.opt(n.gateBias));
  linearBackward(lin(T, H, I), c.x2, w.get(n.up), dU, dX2, grads.of(n.up), grads.opt(n.upBias));
  rmsNormBackward(c.h1, T, H, w.get(n.postNorm), c.inv2, dX2, dh1, grads.of(n.postNorm));
  const dAtt = z(T * qd);
  linearBackward(lin(T, qd, H), c.att, w.get(n.o), dh1, dAtt, grads.of(n.o), grads.opt(n.oBias));
  const dq = z(T * qd);
  const dk = z(T * kd);
  const dv = z(T * kd);
  attentionBackward({ rows: T, heads, kvHeads, headDim: D }, c.q, c.k, c.v, c.P, dAtt, dq, dk, dv);
  ropeBackward(dq, T, heads, rope);
  ropeBackward(dk, T, kvHeads, rope);
  const dX1 = z(T * H);
  linearBackward(lin(T, H, qd), c.x1, w.get(n.q), dq, dX1, grads.of(n.q), grads.opt(n.qBias));
  linearBackward(lin(T, H, kd), c.x1, w.get(n.k), dk, dX1, grads.of(n.k), grads.opt(n.kBias));
  linearBackward(lin(T, H, kd), c.x1, w.get(n.v), dv, dX1, grads.of(n.v), grads.opt(n.vBias));
  const dh = Float64Array.from(dh1);
  rmsNormBackward(c.h, T, H, w.get(n.inputNorm), c.inv1, dX1, dh, grads.of(n.inputNorm));
  return dh;
}
