/**
 * The diagonal Fisher of a language model from probe text (spec §4): F = the mean over probe
 * windows of the squared gradient of the window's summed log-likelihood of its observed next
 * tokens — one backward pass per window, the common batch approximation of the empirical Fisher.
 * Windows are the probe's (window and stride options, each token scored once). Every float tensor
 * of the checkpoint gets a Fisher; those the forward pass never reads get 0. Weights and the
 * Fisher sums are held in memory (float32, about twice the model's float32 size).
 */
import type { CheckpointInfo } from '../io/types.js';
import { isFloatDtype } from '../io/dtype.js';
import { CancelledError } from '../executor/cancel.js';
import { detectLanguageModel, expectedShapes } from '../probe/arch/detect-language-model.js';
import { checkWindowFits } from '../probe/lm/lm-program.js';
import { readTensorF32 } from '../probe/stream/read-tensor-f32.js';
import type { ProbeText } from '../probe/text/probe-text.js';
import { segmentTexts } from '../probe/text/segments.js';
import { tokenizerFor, type ProbeTokenizer } from '../probe/text/tokenizer.js';
import type { WindowOptions } from '../probe/text/windows.js';
import type { FisherTensor } from './fisher-file.js';
import { GradStore } from './lm/grad-store.js';
import { RopeCache, windowGradient } from './lm/window-gradient.js';
import type { EstimateOptions } from './mlp-fisher.js';

export const LM_FISHER_ESTIMATOR =
  "empirical Fisher, batch approximation: mean over probe windows of the squared gradient of each window's summed next-token log-likelihood";

export interface LmFisherOptions extends WindowOptions, EstimateOptions {
  tokenizer?: ProbeTokenizer;
}

export interface LmFisherResult {
  tensors: FisherTensor[];
  windows: number;
  /** Scored next-token predictions over all windows. */
  tokens: number;
  /** Mean negative log-likelihood per scored token (nats), a by-product. */
  loss: number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function estimateLmFisher(ck: CheckpointInfo, texts: readonly ProbeText[], opts: LmFisherOptions = {}): Promise<LmFisherResult> {
  const spec = detectLanguageModel(ck);
  const tokenizer = opts.tokenizer ?? (await tokenizerFor(ck.folder, spec.vocab));
  const segments = segmentTexts(
    texts.map((t) => tokenizer.encode(t.text)),
    opts,
    texts.map((t) => t.name),
  );
  checkWindowFits(spec, Math.max(...segments.map((s) => s.tokens.length)));
  const weights = new Map<string, Float32Array>();
  for (const name of expectedShapes(spec).keys()) weights.set(name, readTensorF32(ck.tensors.get(name)!));
  const reader = { get: (n: string) => weights.get(n)! };
  const sums = new Map<string, Float32Array>();
  for (const t of ck.tensors.values()) if (isFloatDtype(t.dtype)) sums.set(t.name, new Float32Array(t.numel));
  const rope = spec.kind === 'llama' ? new RopeCache(spec.invFreq) : undefined;

  let nll = 0;
  let tokens = 0;
  for (let i = 0; i < segments.length; i++) {
    await nextTurn();
    if (opts.signal?.aborted) throw new CancelledError();
    const s = segments[i];
    const grads = new GradStore(reader);
    nll += windowGradient(spec, reader, { tokens: s.tokens, firstTarget: s.firstTarget }, grads, rope);
    tokens += s.tokens.length - s.firstTarget;
    for (const [name, g] of grads.grads) {
      const acc = sums.get(name)!;
      for (let k = 0; k < g.length; k++) acc[k] += g[k] * g[k];
    }
    opts.onProgress?.({ type: 'fisher', done: i + 1, total: segments.length });
  }
  const tensors = [...sums].map(([name, acc]) => {
    for (let k = 0; k < acc.length; k++) acc[k] /= segments.length;
    return { name, shape: ck.tensors.get(name)!.shape, values: acc };
  });
  return { tensors, windows: segments.length, tokens, loss: nll / tokens };
}
