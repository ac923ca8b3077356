/** Where the K variants' weights come from, stage by stage (one checkpoint, or merges of several). */
import type { IoStats } from './io-stats.js';
import type { StageSpec, StageWeights } from './program.js';

export interface VariantSource {
  readonly variants: number;
  readonly io: IoStats;
  /** Called once with every stage before any is loaded, so inputs needed again later are kept. */
  prepare(stages: readonly StageSpec[]): void;
  /** Reads the stage's input tensors (each at most once over the whole run). */
  load(stage: number): void;
  /** The weights of variant j for the loaded stage (formed on demand, released with the object). */
  weights(j: number): StageWeights;
  /** Drops the stage's inputs that no later stage needs. */
  release(stage: number): void;
  /**
   * Bytes of weights in memory while `stage` runs (after prepare, before anything is read): the
   * inputs held then, kept ones included, and one variant's formed weights.
   */
  stageBytes(stage: number): number;
}

/** First stage index that requests each tensor name. */
export function firstUse(stages: readonly StageSpec[]): Map<string, number> {
  const first = new Map<string, number>();
  stages.forEach((s, i) => s.tensors.forEach((t) => first.has(t.name) || first.set(t.name, i)));
  return first;
}

/** Last stage index that requests each tensor name. */
export function lastUse(stages: readonly StageSpec[]): Map<string, number> {
  const last = new Map<string, number>();
  stages.forEach((s, i) => s.tensors.forEach((t) => last.set(t.name, i)));
  return last;
}
