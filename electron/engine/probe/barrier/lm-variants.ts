/**
 * Probe losses of K merged variants of a language model on probe texts, streamed layer by layer
 * (each input tensor read once whatever K is). Shared by the interpolation barrier and sweeps.
 */
import type { CheckpointInfo } from '../../io/types.js';
import type { TensorPlan } from '../../plan/types.js';
import { detectLanguageModel, type CheckpointHeaders } from '../arch/detect-language-model.js';
import { lmProgram } from '../lm/lm-program.js';
import { TS_MATMUL } from '../math/matmul.js';
import type { ProbeRunOptions } from '../probe-loss.js';
import { evaluateVariants, meanLoss } from '../stream/evaluate-variants.js';
import type { IoStats } from '../stream/io-stats.js';
import { MergedSource } from '../stream/merged-source.js';
import type { ProbeText } from '../text/probe-text.js';
import { segmentTexts } from '../text/segments.js';
import { tokenizerFor } from '../text/tokenizer.js';

export interface VariantLossEvent {
  type: 'variant';
  variant: number;
  /** Mean nats per token, per probe text. */
  losses: number[];
}

export interface LmVariantsInput {
  variants: number;
  plan(variant: number, name: string): TensorPlan;
  checkpoints: ReadonlyMap<string, CheckpointInfo>;
  /** The output model's headers (architecture, names, shapes). */
  headers: CheckpointHeaders;
  /** Folder whose tokenizer.json tokenizes the texts. */
  tokenizerFolder: string;
  seed: number;
}

export interface LmVariantsResult {
  /** [variant][text] mean nats per token. */
  losses: number[][];
  /** Predicted tokens per text. */
  tokens: number[];
  io: IoStats;
  warnings: string[];
  tokenizerId: string;
}

export interface LmVariantsOptions extends ProbeRunOptions {
  onVariant?: (e: VariantLossEvent) => void;
}

export async function lmVariantLosses(input: LmVariantsInput, texts: readonly ProbeText[], opts: LmVariantsOptions = {}): Promise<LmVariantsResult> {
  const spec = detectLanguageModel(input.headers);
  const tokenizer = opts.tokenizer ?? (await tokenizerFor(input.tokenizerFolder, spec.vocab));
  const segments = segmentTexts(
    texts.map((t) => tokenizer.encode(t.text)),
    opts,
    texts.map((t) => t.name),
  );
  const program = lmProgram(spec, segments, texts.length, opts.matmul ?? TS_MATMUL);
  const warnings = new Set<string>();
  const source = new MergedSource({
    variants: input.variants,
    plan: input.plan,
    checkpoints: input.checkpoints,
    seed: input.seed,
    signal: opts.signal,
    onWarning: (m) => warnings.add(m),
  });
  const totals = await evaluateVariants(program, source, {
    signal: opts.signal,
    onProgress: opts.onProgress,
    onVariantDone: (variant, t) => opts.onVariant?.({ type: 'variant', variant, losses: t.map(meanLoss) }),
  });
  return {
    losses: totals.map((t) => t.map(meanLoss)),
    tokens: totals[0].map((t) => t.count),
    io: source.io,
    warnings: [...warnings],
    tokenizerId: tokenizer.id,
  };
}
