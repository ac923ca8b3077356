/** One Llama / Mistral / Qwen2 decoder layer over every window's rows, in place on the residual stream. */
import type { LlamaLayerNames, LlamaSpec } from '../arch/language-model-spec.js';
import { siluGate } from '../math/activations.js';
import { causalAttention } from '../math/attention.js';
import type { MatmulBackend } from '../math/matmul.js';
import { rmsNorm } from '../math/norms.js';
import { applyRope, type RopeTable } from '../math/rope.js';
import type { Scratch } from '../math/scratch.js';
import type { StageWeights } from '../stream/program.js';
import type { RowLayout } from './row-layout.js';

export interface LayerTrace {
  attn?: Float32Array;
  mlp?: Float32Array;
}

function opt(w: StageWeights, name: string | undefined): Float32Array | undefined {
  return name === undefined ? undefined : w.get(name);
}

export async function llamaLayer(
  spec: LlamaSpec,
  n: LlamaLayerNames,
  w: StageWeights,
  h: Float32Array,
  layout: RowLayout,
  mm: MatmulBackend,
  sc: Scratch,
  rope: RopeTable,
  trace?: LayerTrace,
): Promise<void> {
  const { hidden: H, heads, kvHeads, headDim: D, intermediate: I } = spec;
  const R = layout.rows;
  const qDim = heads * D;
  const kvDim = kvHeads * D;
  const x = sc.get(0, R * H);
  rmsNorm(h, R, H, w.get(n.inputNorm), spec.eps, x);
  const q = sc.get(1, R * qDim);
  const k = sc.get(2, R * kvDim);
  const v = sc.get(3, R * kvDim);
  await mm.linear({ x, rows: R, w: w.get(n.q), outDim: qDim, inDim: H, bias: opt(w, n.qBias), y: q });
  await mm.linear({ x, rows: R, w: w.get(n.k), outDim: kvDim, inDim: H, bias: opt(w, n.kBias), y: k });
  await mm.linear({ x, rows: R, w: w.get(n.v), outDim: kvDim, inDim: H, bias: opt(w, n.vBias), y: v });
  const att = sc.get(4, R * qDim);
  const scores = sc.float64(layout.maxLength);
  for (let s = 0; s < layout.starts.length; s++) {
    const start = layout.starts[s];
    const len = layout.lengths[s];
    applyRope(q, start, len, qDim, heads, rope);
    applyRope(k, start, len, kvDim, kvHeads, rope);
    causalAttention(spec, q, qDim, 0, k, v, kvDim, 0, 0, start, len, att, scores);
  }
  const o = sc.get(5, R * H);
  await mm.linear({ x: att, rows: R, w: w.get(n.o), outDim: H, inDim: qDim, bias: opt(w, n.oBias), y: o });
  if (trace) trace.attn = Float32Array.from(o);
  for (let i = 0; i < R * H; i++) h[i] += o[i];
  rmsNorm(h, R, H, w.get(n.postNorm), spec.eps, x);
  const g = sc.get(6, R * I);
  const u = sc.get(7, R * I);
  await mm.linear({ x, rows: R, w: w.get(n.gate), outDim: I, inDim: H, bias: opt(w, n.gateBias), y: g });
  await mm.linear({ x, rows: R, w: w.get(n.up), outDim: I, inDim: H, bias: opt(w, n.upBias), y: u });
  siluGate(g, u, R * I, g);
  await mm.linear({ x: g, rows: R, w: w.get(n.down), outDim: H, inDim: I, bias: opt(w, n.downBias), y: o });
  if (trace) trace.mlp = Float32Array.from(o);
  for (let i = 0; i < R * H; i++) h[i] += o[i];
}
