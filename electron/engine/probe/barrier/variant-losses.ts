/**
 * Probe losses of K merged variants of a model on probe texts (or CSV data sets for an MLP),
 * streamed stage by stage: each input tensor is read once whatever K is. Shared by the
 * interpolation barrier and parameter sweeps.
 *
 * Every variant needs the last stage (the head) before any of its losses is known, so in one pass
 * all K points arrive at the end. With `textByText` and several texts, the texts are run one pass
 * each instead: each text's curve is final after its pass, at the cost of reading the weights once
 * per text (still independent of K; a forward pass is dominated by compute, not reads).
 */
import type { Backend } from '../../backend/types.js';
import type { CheckpointInfo } from '../../io/types.js';
import type { TensorPlan } from '../../plan/types.js';
import type { CheckpointHeaders } from '../arch/detect-language-model.js';
import type { ProbeRunOptions } from '../probe-loss.js';
import { programFor } from '../probe-program.js';
import { evaluateVariants, meanLoss } from '../stream/evaluate-variants.js';
import type { IoStats } from '../stream/io-stats.js';
import { MergedSource } from '../stream/merged-source.js';
import type { ProbeText } from '../text/probe-text.js';

export interface VariantLossEvent {
  type: 'variant';
  variant: number;
  /** Mean nats per token (per sample for an MLP), per probe text (NaN for a text not computed yet, textByText). */
  losses: number[];
}

export interface VariantsInput {
  variants: number;
  plan(variant: number, name: string): TensorPlan;
  checkpoints: ReadonlyMap<string, CheckpointInfo>;
  /** The output model's headers (architecture, names, shapes). */
  headers: CheckpointHeaders;
  /** Folder whose tokenizer.json tokenizes the texts. */
  tokenizerFolder: string;
  seed: number;
}

export interface VariantsResult {
  /** [variant][text] mean nats per token. */
  losses: number[][];
  /** Predicted tokens (samples) per text. */
  tokens: number[];
  io: IoStats;
  warnings: string[];
  /** Tokenizer hash, 'bytes' or 'csv'. */
  encoding: string;
}

export interface VariantsOptions extends ProbeRunOptions {
  onVariant?: (e: VariantLossEvent) => void;
  /** Backend of the merge kernels (default: WebAssembly when built, else TypeScript; same bits). */
  mergeBackend?: Backend;
  /** Several texts: one pass per text, so each text's curve is known as soon as its pass ends (reads the weights once per text). */
  textByText?: boolean;
}

export async function variantLosses(input: VariantsInput, texts: readonly ProbeText[], opts: VariantsOptions = {}): Promise<VariantsResult> {
  if (!opts.textByText || texts.length < 2) return onePass(input, texts, opts);
  const losses: number[][] = Array.from({ length: input.variants }, () => texts.map(() => Number.NaN));
  const tokens: number[] = [];
  const io: IoStats = { bytesRead: 0, reads: new Map() };
  const warnings = new Set<string>();
  let encoding = '';
  for (let t = 0; t < texts.length; t++) {
    const run = await onePass(input, [texts[t]], {
      ...opts,
      onProgress: opts.onProgress ? (e) => opts.onProgress!({ ...e, pass: t, passes: texts.length }) : undefined,
      onVariant: (e) => {
        losses[e.variant][t] = e.losses[0];
        opts.onVariant?.({ type: 'variant', variant: e.variant, losses: [...losses[e.variant]] });
      },
    });
    run.losses.forEach((row, j) => (losses[j][t] = row[0]));
    tokens.push(run.tokens[0]);
    io.bytesRead += run.io.bytesRead;
    for (const [k, n] of run.io.reads) io.reads.set(k, (io.reads.get(k) ?? 0) + n);
    for (const w of run.warnings) warnings.add(w);
    encoding = run.encoding;
  }
  return { losses, tokens, io, warnings: [...warnings], encoding };
}

async function onePass(input: VariantsInput, texts: readonly ProbeText[], opts: VariantsOptions): Promise<VariantsResult> {
  const { program, encoding } = await programFor(input.headers, input.tokenizerFolder, texts, opts);
  const warnings = new Set<string>();
  const source = new MergedSource({
    variants: input.variants,
    plan: input.plan,
    checkpoints: input.checkpoints,
    seed: input.seed,
    signal: opts.signal,
    backend: opts.mergeBackend,
    onWarning: (m) => warnings.add(m),
  });
  const totals = await evaluateVariants(program, source, {
    signal: opts.signal,
    onProgress: opts.onProgress,
    memory: opts.memory,
    onVariantDone: (variant, t) => opts.onVariant?.({ type: 'variant', variant, losses: t.map(meanLoss) }),
  });
  return {
    losses: totals.map((t) => t.map(meanLoss)),
    tokens: totals[0].map((t) => t.count),
    io: source.io,
    warnings: [...warnings],
    encoding,
  };
}
