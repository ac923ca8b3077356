/**
 * The smallest memory budget a user may set (the CLI's --memory-budget for merges and probes; the
 * app takes the default budget and has no setting for it). The budget bounds what merges and
 * probes hold for their work; the process needs its own memory besides, which no budget can
 * shrink. Measured (peak RSS, /usr/bin/time -v, a linear and a TIES merge of two 156 MB bf16
 * models on a 2-core machine): about 71 MB for the CLI that merely starts (`crucible methods`),
 * 93 MB merging with one worker thread, 105–125 MB with two, and about 8 MB more per further worker
 * (64 workers: 565 MB), whatever the budget — 1 KB and 512 MiB gave the same peak. A budget below
 * that baseline could never be honoured, so it is refused rather than silently exceeded; 256 MiB
 * leaves room above it for a few workers' working memory. Internal callers (tests, the bench) may
 * still build smaller MemoryBudgets: this rule is for what a user types.
 */
import { formatBytes } from '../../../common/contract/format-bytes.js';

export const MIN_MEMORY_BUDGET = 256 * 1024 * 1024;

/** Why `bytes` is not an acceptable memory budget, or null when it is. */
export function memoryBudgetProblem(bytes: number): string | null {
  if (bytes >= MIN_MEMORY_BUDGET) return null;
  return (
    `the smallest memory budget accepted is ${formatBytes(MIN_MEMORY_BUDGET)} (${MIN_MEMORY_BUDGET} bytes): ` +
    `Crucible itself takes about 100 MB before any merge or probe work, so a smaller budget could not be honoured`
  );
}
