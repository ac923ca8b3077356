/**
 * The work of a Fisher estimate in the app, before it starts: windows and tokens of the probe
 * texts, and a time from the parameters the matrix products touch (forward + backward ≈ 6 flops
 * per parameter and token) at this machine's measured speed of the TypeScript matrix product the
 * backward pass uses. A rough figure, said so in the UI.
 */
import { linearTs } from '../../engine/probe/math/matmul.js';
import { detectLanguageModel } from '../../engine/probe/arch/detect-language-model.js';
import { looksLikeMlp } from '../../engine/probe/mlp/mlp-spec.js';
import { segmentTexts } from '../../engine/probe/text/segments.js';
import { tokenizerFor } from '../../engine/probe/text/tokenizer.js';
import type { ProbeText } from '../../engine/probe/text/probe-text.js';
import type { WindowOptions } from '../../engine/probe/text/windows.js';
import { isFloatDtype } from '../../engine/io/dtype.js';
import { InputError, type CheckpointInfo } from '../../engine/io/types.js';

let flopsPerSecond: number | null = null;

/** Measured once per process: a 64×256 by 256×256 product, repeated for about 50 ms. */
function measureFlops(): number {
  if (flopsPerSecond) return flopsPerSecond;
  const rows = 64;
  const n = 256;
  const x = new Float32Array(rows * n).fill(0.5);
  const w = new Float32Array(n * n).fill(0.25);
  const y = new Float32Array(rows * n);
  let reps = 0;
  const start = performance.now();
  while (performance.now() - start < 50 || reps < 3) {
    linearTs({ x, rows, w, outDim: n, inDim: n, y });
    reps++;
  }
  flopsPerSecond = (2 * rows * n * n * reps) / ((performance.now() - start) / 1000);
  return flopsPerSecond;
}

const EMBEDDING = /(embed_tokens|wte|wpe|word_embeddings)\.weight$/;

export async function fisherPlan(ck: CheckpointInfo, texts: readonly ProbeText[], opts: WindowOptions): Promise<{ windows: number; tokens: number; parameters: number; seconds: number; memoryBytes: number }> {
  if (looksLikeMlp(ck)) throw new InputError(`${ck.path} is an MLP classifier: its Fisher is estimated on CSV data with crucible fisher estimate, not in the app`);
  const spec = detectLanguageModel(ck);
  const tokenizer = await tokenizerFor(ck.folder, spec.vocab);
  const segments = segmentTexts(
    texts.map((t) => tokenizer.encode(t.text)),
    opts,
    texts.map((t) => t.name),
  );
  let parameters = 0;
  let matmulParams = 0;
  let tiedEmbedding = 0;
  for (const t of ck.tensors.values()) {
    if (!isFloatDtype(t.dtype)) continue;
    parameters += t.numel;
    if (EMBEDDING.test(t.name)) {
      if (/embed_tokens|wte|word_embeddings/.test(t.name)) tiedEmbedding = t.numel;
      continue;
    }
    if (t.shape.length === 2) matmulParams += t.numel;
  }
  // A tied head multiplies by the embedding matrix.
  if (![...ck.tensors.keys()].some((n) => /lm_head\.weight$/.test(n))) matmulParams += tiedEmbedding;
  const tokens = segments.reduce((s, x) => s + x.tokens.length, 0);
  const seconds = (6 * matmulParams * tokens) / measureFlops();
  return { windows: segments.length, tokens, parameters, seconds, memoryBytes: 2 * 4 * parameters };
}
