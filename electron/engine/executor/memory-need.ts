/**
 * A task that holds weights (a barrier preview, a sweep, a post-merge check, an alignment, a
 * Fisher estimate) reserves its estimated memory from the process-wide budget for as long as it
 * runs, beside the merges that draw on the same budget. It waits while the budget is full; a task
 * that needs more than the whole budget could never fit, so it is refused at once — before it
 * reads anything — with how much it needs and what would lower that.
 */
import { formatBytes } from '../../../common/contract/format-bytes.js';
import type { MemoryBudget } from './memory-budget.js';

export interface MemoryNeed {
  /** What needs the memory, as the user knows it: "the barrier preview". */
  task: string;
  bytes: number;
  /** How the figure is made up: "one layer's weights 12 MiB + 11 variants' activations 3 MiB". */
  detail: string;
  /** What the user can change to need less (optional). */
  hint?: string;
}

/** Where a task takes its memory from, and how it is named in messages. */
export interface MemoryReservation {
  budget: MemoryBudget;
  /** What needs the memory, as the user knows it: "the barrier preview". */
  task: string;
}

export class MemoryBudgetError extends Error {
  constructor(readonly need: MemoryNeed, readonly limit: number) {
    super(
      `${need.task} needs about ${formatBytes(need.bytes)} of memory (${need.detail}), more than the whole memory budget of ${formatBytes(limit)}: ` +
        `raise the memory budget${need.hint ? ` or ${need.hint}` : ''}.`,
    );
    this.name = 'MemoryBudgetError';
  }
}

/** A part of a need, for `detail`: "one layer's weights 12.0 MiB". */
export function part(label: string, bytes: number): string {
  return `${label} ${formatBytes(bytes)}`;
}

/**
 * Runs `work` holding `need.bytes` of the budget (waiting for them first; giving up the wait when
 * `signal` aborts). Throws MemoryBudgetError without waiting when the need exceeds the whole budget.
 */
export async function withMemory<T>(budget: MemoryBudget, need: MemoryNeed, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  const bytes = Math.max(0, Math.ceil(need.bytes));
  if (bytes > budget.bytesLimit) throw new MemoryBudgetError(need, budget.bytesLimit);
  await budget.acquire(bytes, { signal });
  try {
    return await work();
  } finally {
    budget.release(bytes);
  }
}
