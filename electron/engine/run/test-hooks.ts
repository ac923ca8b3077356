/**
 * Test-only pause points in a merge run, for the crash-safety tests (test/integration/
 * crash-safety.test.ts): with CRUCIBLE_TEST_PAUSE_AT=<point> set, the run writes the marker file
 * CRUCIBLE_TEST_PAUSE_MARKER when it reaches that point, then waits until a file named
 * `<marker>.continue` appears (a test that SIGKILLs the process never creates it). Without the
 * variable every call returns at once: nothing here is active in normal use.
 */
import { existsSync, writeFileSync } from 'node:fs';

export type PausePoint =
  /** Inputs' headers read and the plan made; nothing written yet. */
  | 'inputs-read'
  /** The staged folder exists with every shard at full size, headers written, no tensor data. */
  | 'output-staged'
  /** All tensor data, config and tokenizer files written; the folder not yet synced or renamed. */
  | 'before-commit'
  /** Everything synced; the staged folder is about to be renamed to the destination. */
  | 'before-rename'
  /** --force: the old output has been moved aside, the new one not yet renamed in. */
  | 'mid-swap'
  /** The destination is complete under its final name; the run has not returned yet. */
  | 'after-rename';

const POLL_MS = 20;

/** Pauses at `point` when the test environment asks for it (see above); otherwise a no-op. */
export async function pauseForTest(point: PausePoint): Promise<void> {
  if (process.env.CRUCIBLE_TEST_PAUSE_AT !== point) return;
  const marker = process.env.CRUCIBLE_TEST_PAUSE_MARKER;
  if (!marker) throw new Error('CRUCIBLE_TEST_PAUSE_AT is set without CRUCIBLE_TEST_PAUSE_MARKER');
  writeFileSync(marker, `${process.pid} ${point}\n`);
  while (!existsSync(`${marker}.continue`)) await new Promise((r) => setTimeout(r, POLL_MS));
}
