/**
 * The streaming evaluator: stage by stage (embedding, layer 0, …, head), read the stage's inputs
 * once, then for each of the K variants form its weights and advance its state. Memory is one
 * stage's inputs, one variant's formed weights, and K states (activations); weight I/O does not
 * depend on K. Given a budget, that memory is reserved from it before anything is read (waiting
 * while it is full; refused at once when it exceeds the whole budget).
 */
import { CancelledError } from '../../executor/cancel.js';
import { withMemory, type MemoryReservation } from '../../executor/memory-need.js';
import { probeMemoryNeed } from './probe-memory.js';
import type { LossTotal, ProbeProgram } from './program.js';
import type { VariantSource } from './variant-source.js';

export interface StageProgress {
  type: 'stage';
  /** 0-based stage index, of `stages`. */
  stage: number;
  stages: number;
  label: string;
  /** Output layer index, or null for the embedding and head stages. */
  layer: number | null;
  /** How many stages are layers (for "layer 12/32"). */
  layers: number;
  /** Variants advanced through this stage so far, of `variants`. */
  variantsDone: number;
  variants: number;
  /** Input bytes read so far. */
  bytesRead: number;
  /** Text-by-text runs: this pass (one per text) of `passes`. */
  pass?: number;
  passes?: number;
}

export interface EvaluateOptions {
  signal?: AbortSignal;
  onProgress?: (e: StageProgress) => void;
  /** Called as each variant's losses become known (during the last stage), in variant order. */
  onVariantDone?: (variant: number, totals: LossTotal[]) => void;
  /** Reserve the evaluation's memory from this budget while it runs (default: no reservation). */
  memory?: MemoryReservation;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Lets timers, signals and messages through between steps of synchronous compute. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Per variant, per probe text: summed nats and predicted-token count. */
export async function evaluateVariants<S>(program: ProbeProgram<S>, source: VariantSource, opts: EvaluateOptions = {}): Promise<LossTotal[][]> {
  source.prepare(program.stages);
  if (!opts.memory) return evaluatePrepared(program, source, opts);
  const need = probeMemoryNeed(program as ProbeProgram<unknown>, source, opts.memory.task);
  return withMemory(opts.memory.budget, need, opts.signal, () => evaluatePrepared(program, source, opts));
}

async function evaluatePrepared<S>(program: ProbeProgram<S>, source: VariantSource, opts: EvaluateOptions): Promise<LossTotal[][]> {
  const K = source.variants;
  const stages = program.stages;
  const states: S[] = Array.from({ length: K }, () => program.init());
  const results: LossTotal[][] = new Array(K);
  const layers = stages.filter((st) => st.layer !== null).length;
  const progress = (s: number, variantsDone: number) =>
    opts.onProgress?.({
      type: 'stage',
      stage: s,
      stages: stages.length,
      label: stages[s].label,
      layer: stages[s].layer,
      layers,
      variantsDone,
      variants: K,
      bytesRead: source.io.bytesRead,
    });
  for (let s = 0; s < stages.length; s++) {
    throwIfAborted(opts.signal);
    // Reported as the stage starts (its inputs are being read), then after each variant.
    progress(s, 0);
    source.load(s);
    try {
      for (let j = 0; j < K; j++) {
        await yieldToEventLoop();
        throwIfAborted(opts.signal);
        states[j] = await program.run(s, source.weights(j), states[j]);
        if (s === stages.length - 1) {
          results[j] = program.totals(states[j]);
          opts.onVariantDone?.(j, results[j]);
        }
        progress(s, j + 1);
      }
    } finally {
      source.release(s);
    }
  }
  return results;
}

/** Mean nats per predicted token (NaN when nothing was predicted). */
export function meanLoss(t: LossTotal): number {
  return t.count > 0 ? t.nats / t.count : Number.NaN;
}
