/**
 * One probe window through a language model, forward and backward: the summed next-token
 * negative log-likelihood of its scored targets, and its gradient with respect to every weight
 * (added into `grads`; tied embeddings collect both their uses).
 */
import type { LanguageModelSpec } from '../../probe/arch/language-model-spec.js';
import { ropeTable, type RopeTable } from '../../probe/math/rope.js';
import { crossEntropyWithGrad } from '../grad/cross-entropy-grad.js';
import { linearBackward, linearForward } from '../grad/linear-grad.js';
import { layerNormBackward, layerNormForward, rmsNormBackward, rmsNormForward } from '../grad/norm-grad.js';
import { zerosLike, type Vec } from '../grad/vec.js';
import { gpt2BlockBackward, gpt2BlockForward, type Gpt2BlockCache } from './gpt2-block-grad.js';
import type { GradStore, WeightReader } from './grad-store.js';
import { llamaBlockBackward, llamaBlockForward, type LlamaBlockCache } from './llama-block-grad.js';

export interface ScoredWindow {
  tokens: Int32Array;
  /** Targets tokens[firstTarget .. length − 1] are scored (≥ 1). */
  firstTarget: number;
}

/** RoPE tables by window length, shared across windows. */
export class RopeCache {
  private readonly tables = new Map<number, RopeTable>();
  constructor(private readonly invFreq: Float32Array) {}
  get(T: number): RopeTable {
    let t = this.tables.get(T);
    if (!t) this.tables.set(T, (t = ropeTable(this.invFreq, T)));
    return t;
  }
}

/** Returns the window's summed negative log-likelihood (nats); gradients are added into `grads`. */
export function windowGradient(spec: LanguageModelSpec, w: WeightReader, win: ScoredWindow, grads: GradStore, rope?: RopeCache): number {
  const T = win.tokens.length;
  const H = spec.hidden;
  const V = spec.vocab;
  const like = w.get(spec.head);
  for (const t of win.tokens) if (!(t >= 0 && t < V)) throw new RangeError(`token id ${t} outside the vocabulary of ${V}`);

  // Embedding.
  let h: Vec = zerosLike(like, T * H);
  const table = w.get(spec.kind === 'llama' ? spec.embed : spec.wte);
  const pos = spec.kind === 'gpt2' ? w.get(spec.wpe) : undefined;
  for (let p = 0; p < T; p++) {
    const tok = win.tokens[p];
    for (let i = 0; i < H; i++) h[p * H + i] = table[tok * H + i] + (pos ? pos[p * H + i] : 0);
  }

  // Layers.
  const ropeT = spec.kind === 'llama' ? (rope ?? new RopeCache(spec.invFreq)).get(T) : undefined;
  const caches: (LlamaBlockCache | Gpt2BlockCache)[] = [];
  for (let l = 0; l < spec.layers; l++) {
    const r = spec.kind === 'llama' ? llamaBlockForward(spec, spec.layer(l), w, h, T, ropeT!) : gpt2BlockForward(spec, spec.layer(l), w, h, T);
    caches.push(r.cache);
    h = r.out;
  }

  // Final norm and the logits of the scored rows.
  const xf = zerosLike(like, T * H);
  const hL = h;
  const backNorm: (dxf: Vec, dh: Vec) => void =
    spec.kind === 'llama'
      ? ((inv) => (dxf, dh) => rmsNormBackward(hL, T, H, w.get(spec.finalNorm), inv, dxf, dh, grads.of(spec.finalNorm)))(
          rmsNormForward(h, T, H, w.get(spec.finalNorm), spec.eps, xf),
        )
      : ((c) => (dxf, dh) => layerNormBackward(hL, T, H, w.get(spec.lnfW), c, dxf, dh, grads.of(spec.lnfW), grads.of(spec.lnfB)))(
          layerNormForward(h, T, H, w.get(spec.lnfW), w.get(spec.lnfB), spec.eps, xf),
        );
  const first = win.firstTarget - 1;
  const S = T - 1 - first;
  const xs = xf.subarray(first * H, (T - 1) * H);
  const head = { rows: S, inDim: H, outDim: V, layout: 'out-in' as const };
  const logits = zerosLike(like, S * V);
  linearForward(head, xs, w.get(spec.head), undefined, logits);
  const dLogits = new Float64Array(S * V);
  let nll = 0;
  for (let r = 0; r < S; r++) nll += crossEntropyWithGrad(logits, r * V, V, win.tokens[first + r + 1], dLogits);

  // Backward.
  const dxf = new Float64Array(T * H);
  linearBackward(head, xs, w.get(spec.head), dLogits, dxf.subarray(first * H, (T - 1) * H), grads.of(spec.head), undefined);
  let dh: Vec = new Float64Array(T * H);
  backNorm(dxf, dh);
  for (let l = spec.layers - 1; l >= 0; l--) {
    dh =
      spec.kind === 'llama'
        ? llamaBlockBackward(spec, spec.layer(l), w, caches[l] as LlamaBlockCache, dh, T, ropeT!, grads)
        : gpt2BlockBackward(spec, spec.layer(l), w, caches[l] as Gpt2BlockCache, dh, T, grads);
  }
  const dTable = grads.of(spec.kind === 'llama' ? spec.embed : spec.wte);
  const dPos = spec.kind === 'gpt2' ? grads.of(spec.wpe) : undefined;
  for (let p = 0; p < T; p++) {
    const tok = win.tokens[p];
    for (let i = 0; i < H; i++) {
      dTable[tok * H + i] += dh[p * H + i];
      if (dPos) dPos[p * H + i] += dh[p * H + i];
    }
  }
  return nll;
}
