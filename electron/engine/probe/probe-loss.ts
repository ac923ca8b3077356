/**
 * `probeLoss`: the mean next-token cross-entropy (nats) of one model on probe texts, windowed
 * (see text/windows.ts), streamed layer by layer from the checkpoint; for an MLP classifier, the
 * mean cross-entropy over CSV data sets (the texts are CSV; "tokens" are samples).
 */
import { resolve } from 'node:path';
import { openCheckpoint } from '../io/checkpoint.js';
import type { CheckpointInfo } from '../io/types.js';
import type { MatmulBackend } from './math/matmul.js';
import { programFor } from './probe-program.js';
import { CheckpointSource } from './stream/checkpoint-source.js';
import { evaluateVariants, meanLoss, type StageProgress } from './stream/evaluate-variants.js';
import type { IoStats } from './stream/io-stats.js';
import type { MemoryReservation } from '../executor/memory-need.js';
import type { ProbeText } from './text/probe-text.js';
import type { ProbeTokenizer } from './text/tokenizer.js';
import type { WindowOptions } from './text/windows.js';

export interface ProbeRunOptions extends WindowOptions {
  /** Where matrix products run (default: TypeScript). */
  matmul?: MatmulBackend;
  /** Overrides the model's own tokenizer. */
  tokenizer?: ProbeTokenizer;
  signal?: AbortSignal;
  onProgress?: (e: StageProgress) => void;
  /** Reserve the probe's memory from this budget while it runs (the app: the process-wide budget). */
  memory?: MemoryReservation;
}

export interface TextLoss {
  name: string;
  /** Mean nats per predicted token. */
  loss: number;
  /** Predicted (scored) tokens. */
  tokens: number;
}

export interface ProbeLossResult {
  texts: TextLoss[];
  /** Mean of the texts' losses. */
  loss: number;
  /** Predicted tokens over all texts. */
  tokens: number;
  io: IoStats;
}

export async function openModel(model: string | CheckpointInfo): Promise<CheckpointInfo> {
  return typeof model === 'string' ? openCheckpoint(resolve(model)) : model;
}

export async function probeLoss(model: string | CheckpointInfo, texts: readonly ProbeText[], opts: ProbeRunOptions = {}): Promise<ProbeLossResult> {
  const ck = await openModel(model);
  const { program } = await programFor(ck, ck.folder, texts, opts);
  const source = new CheckpointSource(ck);
  const [totals] = await evaluateVariants(program, source, { signal: opts.signal, onProgress: opts.onProgress, memory: opts.memory });
  const per = totals.map((t, i) => ({ name: texts[i].name, loss: meanLoss(t), tokens: t.count }));
  return {
    texts: per,
    loss: per.reduce((s, t) => s + t.loss, 0) / per.length,
    tokens: per.reduce((s, t) => s + t.tokens, 0),
    io: source.io,
  };
}
