/** One GPT-2 block over every window's rows, in place on the residual stream. */
import type { Gpt2LayerNames, Gpt2Spec } from '../arch/language-model-spec.js';
import { geluTanh } from '../math/activations.js';
import { causalAttention } from '../math/attention.js';
import { transpose, type MatmulBackend } from '../math/matmul.js';
import { layerNorm } from '../math/norms.js';
import type { Scratch } from '../math/scratch.js';
import type { StageWeights } from '../stream/program.js';
import type { LayerTrace } from './llama-layer.js';
import type { RowLayout } from './row-layout.js';

export async function gpt2Layer(
  spec: Gpt2Spec,
  n: Gpt2LayerNames,
  w: StageWeights,
  h: Float32Array,
  layout: RowLayout,
  mm: MatmulBackend,
  sc: Scratch,
  trace?: LayerTrace,
): Promise<void> {
  const { hidden: H, inner: F } = spec;
  const R = layout.rows;
  const x = sc.get(0, R * H);
  layerNorm(h, R, H, w.get(n.ln1w), w.get(n.ln1b), spec.eps, x);
  // Conv1D stores weights [in, out]: transposed once into Linear layout [out, in].
  const qkv = sc.get(1, R * 3 * H);
  await mm.linear({ x, rows: R, w: transpose(w.get(n.attnW), H, 3 * H), outDim: 3 * H, inDim: H, bias: w.get(n.attnB), y: qkv });
  const att = sc.get(2, R * H);
  const scores = sc.float64(layout.maxLength);
  const shape = { heads: spec.heads, kvHeads: spec.heads, headDim: spec.headDim };
  for (let s = 0; s < layout.starts.length; s++) {
    causalAttention(shape, qkv, 3 * H, 0, qkv, qkv, 3 * H, H, 2 * H, layout.starts[s], layout.lengths[s], att, scores);
  }
  const o = sc.get(3, R * H);
  await mm.linear({ x: att, rows: R, w: transpose(w.get(n.projW), H, H), outDim: H, inDim: H, bias: w.get(n.projB), y: o });
  if (trace) trace.attn = Float32Array.from(o);
  for (let i = 0; i < R * H; i++) h[i] += o[i];
  layerNorm(h, R, H, w.get(n.ln2w), w.get(n.ln2b), spec.eps, x);
  const f = sc.get(4, R * F);
  await mm.linear({ x, rows: R, w: transpose(w.get(n.fcW), H, F), outDim: F, inDim: H, bias: w.get(n.fcB), y: f });
  geluTanh(f, R * F);
  await mm.linear({ x: f, rows: R, w: transpose(w.get(n.fcProjW), F, H), outDim: H, inDim: F, bias: w.get(n.fcProjB), y: o });
  if (trace) trace.mlp = Float32Array.from(o);
  for (let i = 0; i < R * H; i++) h[i] += o[i];
}
