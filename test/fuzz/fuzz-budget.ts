/**
 * Budgets and checks shared by the fuzz tests.
 *
 *   CRUCIBLE_FUZZ_RUNS=200000 npx vitest run test/fuzz     # longer, on demand
 *   CRUCIBLE_FUZZ_SEED=1234 ...                             # another fixed sequence of inputs
 *
 * CI runs FUZZ_RUNS (10,000) inputs per parser with a fixed seed, so a failure reproduces; the
 * seed and the shrunk input are in fast-check's report. Each input has PER_INPUT_MS, each test
 * fuzzTimeout(runs). Measured 2026-11-24 on the shared 2-core machine at load average 14–19: the
 * whole suite 496 s wall (mergekit YAML 164 s of its 400 s bound, shard index 77 s, project
 * file 52 s, safetensors header 34 s, config.json 8 s, plus the on-disk variants).
 */
import { expect } from 'vitest';

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got ${JSON.stringify(v)})`);
  return n;
}

/** Inputs per parser (at least 10,000 in CI). */
export const FUZZ_RUNS = envInt('CRUCIBLE_FUZZ_RUNS') ?? 10_000;
export const FUZZ_SEED = envInt('CRUCIBLE_FUZZ_SEED') ?? 0x5eed;
/** No single input may take longer than this to be accepted or refused (generous for a loaded 2-core CI machine). */
export const PER_INPUT_MS = 2_000;
/** Resident memory may not grow by more than this over a whole fuzz run. */
export const MAX_RSS_GROWTH_BYTES = 512 * 1024 * 1024;
/** A clear error is a sentence, not a dump of the input. */
export const MAX_MESSAGE_CHARS = 4_000;

/** A fraction of the budget, for the slower targets (at least `min`). */
export function runsFraction(fraction: number, min = 100): number {
  return Math.max(min, Math.round(FUZZ_RUNS * fraction));
}

/** Vitest timeout for a fuzz test of `runs` inputs at up to `msPerInput` on average. */
export function fuzzTimeout(runs: number, msPerInput = 5): number {
  return Math.max(60_000, runs * msPerInput * 4);
}

export function fcParams(runs: number): { numRuns: number; seed: number; endOnFailure: boolean } {
  return { numRuns: runs, seed: FUZZ_SEED, endOnFailure: true };
}

export type Outcome<T> = { ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number };

export function attempt<T>(fn: () => T): Outcome<T> {
  const t0 = performance.now();
  try {
    const value = fn();
    return { ok: true, value, ms: performance.now() - t0 };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - t0 };
  }
}

export async function attemptAsync<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  const t0 = performance.now();
  try {
    const value = await fn();
    return { ok: true, value, ms: performance.now() - t0 };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - t0 };
  }
}

/**
 * The outcome ended in time, and a failure is an instance of `errorClass` (the parser's own,
 * documented error) whose message is short and names `where` (the file).
 */
export function expectCleanOutcome(
  o: Outcome<unknown>,
  errorClass: abstract new (...args: never[]) => Error,
  where: string,
): void {
  expect(o.ms, 'took too long').toBeLessThan(PER_INPUT_MS);
  if (o.ok) return;
  const e = o.error as Error;
  if (!(o.error instanceof errorClass)) {
    throw new Error(`expected a ${errorClass.name}, got ${e?.name}: ${e?.message}\n${e?.stack ?? ''}`);
  }
  expect(e.message).toContain(where);
  expect(e.message.length, `message too long: ${e.message.slice(0, 200)}…`).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
}

/** Resident memory watch: call sample() during a run, then check(). */
export function rssWatch(): { sample: () => void; check: () => void } {
  const base = process.memoryUsage().rss;
  let peak = base;
  return {
    sample: () => {
      const r = process.memoryUsage().rss;
      if (r > peak) peak = r;
    },
    check: () => expect(peak - base, 'resident memory grew too much').toBeLessThan(MAX_RSS_GROWTH_BYTES),
  };
}

/** Collects unhandled rejections while installed; check() fails when there were any. */
export function unhandledRejectionWatch(): { check: () => void; dispose: () => void } {
  const seen: unknown[] = [];
  const on = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', on);
  return {
    check: () => expect(seen.map((r) => String((r as Error)?.stack ?? r))).toEqual([]),
    dispose: () => {
      process.off('unhandledRejection', on);
    },
  };
}
