/** One GPT-2 block over one window (Conv1D weights [in, out], fused q/k/v): forward with its cache, and the backward pass. */
import type { Gpt2LayerNames, Gpt2Spec } from '../../probe/arch/language-model-spec.js';
import { geluBackward, geluForward } from '../grad/activation-grad.js';
import { attentionBackward, attentionForward } from '../grad/attention-grad.js';
import { linearBackward, linearForward } from '../grad/linear-grad.js';
import { layerNormBackward, layerNormForward, type LayerNormCache } from '../grad/norm-grad.js';
import { zerosLike, type Vec } from '../grad/vec.js';
import type { GradStore, WeightReader } from './grad-store.js';

export interface Gpt2BlockCache {
  h: Vec;
  ln1: LayerNormCache;
  x1: Vec;
  q: Vec;
  k: Vec;
  v: Vec;
  P: Float64Array;
  att: Vec;
  h1: Vec;
  ln2: LayerNormCache;
  x2: Vec;
  f: Vec;
  a: Vec;
}

const conv = (rows: number, inDim: number, outDim: number) => ({ rows, inDim, outDim, layout: 'in-out' as const });

export function gpt2BlockForward(s: Gpt2Spec, n: Gpt2LayerNames, w: WeightReader, h: Vec, T: number): { out: Vec; cache: Gpt2BlockCache } {
  const { hidden: H, inner: F, heads, headDim: D } = s;
  const z = (m: number) => zerosLike(h, m);
  const x1 = z(T * H);
  const ln1 = layerNormForward(h, T, H, w.get(n.ln1w), w.get(n.ln1b), s.eps, x1);
  const qkv = z(T * 3 * H);
  linearForward(conv(T, H, 3 * H), x1, w.get(n.attnW), w.get(n.attnB), qkv);
  const [q, k, v] = [0, 1, 2].map((part) => {
    const out = z(T * H);
    for (let t = 0; t < T; t++) for (let i = 0; i < H; i++) out[t * H + i] = qkv[t * 3 * H + part * H + i];
    return out;
  });
  const att = z(T * H);
  const P = attentionForward({ rows: T, heads, kvHeads: heads, headDim: D }, q, k, v, att);
  const o = z(T * H);
  linearForward(conv(T, H, H), att, w.get(n.projW), w.get(n.projB), o);
  const h1 = z(T * H);
  for (let i = 0; i < h1.length; i++) h1[i] = h[i] + o[i];
  const x2 = z(T * H);
  const ln2 = layerNormForward(h1, T, H, w.get(n.ln2w), w.get(n.ln2b), s.eps, x2);
  const f = z(T * F);
  linearForward(conv(T, H, F), x2, w.get(n.fcW), w.get(n.fcB), f);
  const a = z(T * F);
  geluForward(f, T * F, a);
  const d = z(T * H);
  linearForward(conv(T, F, H), a, w.get(n.fcProjW), w.get(n.fcProjB), d);
  const out = z(T * H);
  for (let i = 0; i < out.length; i++) out[i] = h1[i] + d[i];
  return { out, cache: { h, ln1, x1, q, k, v, P, att, h1, ln2, x2, f, a } };
}

export function gpt2BlockBackward(s: Gpt2Spec, n: Gpt2LayerNames, w: WeightReader, c: Gpt2BlockCache, dOut: Vec, T: number, grads: GradStore): Vec {
  const { hidden: H, inner: F, heads, headDim: D } = s;
  const z = (m: number) => new Float64Array(m);
  const dh1 = Float64Array.from(dOut);
  const dA = z(T * F);
  linearBackward(conv(T, F, H), c.a, w.get(n.fcProjW), dOut, dA, grads.of(n.fcProjW), grads.of(n.fcProjB));
  const dF = z(T * F);
  geluBackward(c.f, dA, T * F, dF);
  const dX2 = z(T * H);
  linearBackward(conv(T, H, F), c.x2, w.get(n.fcW), dF, dX2, grads.of(n.fcW), grads.of(n.fcB));
  layerNormBackward(c.h1, T, H, w.get(n.ln2w), c.ln2, dX2, dh1, grads.of(n.ln2w), grads.of(n.ln2b));
  const dAtt = z(T * H);
  linearBackward(conv(T, H, H), c.att, w.get(n.projW), dh1, dAtt, grads.of(n.projW), grads.of(n.projB));
  const dq = z(T * H);
  const dk = z(T * H);
  const dv = z(T * H);
  attentionBackward({ rows: T, heads, kvHeads: heads, headDim: D }, c.q, c.k, c.v, c.P, dAtt, dq, dk, dv);
  const dqkv = z(T * 3 * H);
  [dq, dk, dv].forEach((part, p) => {
    for (let t = 0; t < T; t++) for (let i = 0; i < H; i++) dqkv[t * 3 * H + p * H + i] = part[t * H + i];
  });
  const dX1 = z(T * H);
  linearBackward(conv(T, H, 3 * H), c.x1, w.get(n.attnW), dqkv, dX1, grads.of(n.attnW), grads.of(n.attnB));
  const dh = Float64Array.from(dh1);
  layerNormBackward(c.h, T, H, w.get(n.ln1w), c.ln1, dX1, dh, grads.of(n.ln1w), grads.of(n.ln1b));
  return dh;
}
