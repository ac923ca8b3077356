/**
 * The flags that size what a command may use, checked the same way by every command that takes
 * them: --threads (merge, verify) and --memory-budget (merge, probe). A bad value is a usage error
 * (exit 2) naming the flag, what is accepted and why.
 */
import { availableParallelism } from 'node:os';
import { memoryBudgetProblem } from '../engine/executor/memory-budget-floor.js';
import { parseSize } from '../engine/io/size.js';
import { UsageError } from './exit-codes.js';

/**
 * The most worker threads --threads accepts: 256, or the machine's cores when it has more. The
 * merge kernels are CPU-bound, so workers beyond the cores add no speed, while each costs about
 * 8 MB of memory outside the memory budget (its own JavaScript heap and WebAssembly memory:
 * measured, 64 workers took 565 MB against 93 MB for one) — 1000 workers would take ~8 GB for
 * nothing. 256 covers today's largest two-socket servers (256 hardware threads).
 */
export function maxThreads(cores: number = availableParallelism()): number {
  return Math.max(256, cores);
}

/** --threads N: an integer from 1 to maxThreads(cores); undefined when not given. */
export function threadsFlag(value: string | undefined, cores: number = availableParallelism()): number | undefined {
  if (value === undefined) return undefined;
  const max = maxThreads(cores);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError(
      `--threads must be an integer from 1 to ${max} (got '${value}'): ` +
        `this machine has ${cores} core${cores === 1 ? '' : 's'}, more workers than cores add no speed, and each takes about 8 MB of memory`,
    );
  }
  return n;
}

/** --memory-budget SIZE: at least MIN_MEMORY_BUDGET (memory-budget-floor.ts); undefined when not given. */
export function memoryBudgetFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let bytes: number;
  try {
    bytes = parseSize(value);
  } catch (err) {
    throw new UsageError(`--memory-budget: ${(err as Error).message}`);
  }
  const problem = memoryBudgetProblem(bytes);
  if (problem) throw new UsageError(`--memory-budget ${value} is too small: ${problem}`);
  return bytes;
}
