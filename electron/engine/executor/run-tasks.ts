/**
 * Runs worker tasks on a pool of threads (piscina), admitting each only when the process-wide
 * memory budget allows, at most `threads` at a time. Reports progress from a shared counter
 * several times a second, and cancels cooperatively (a shared flag the kernels check between
 * chunks) — the first failure cancels the rest.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { InputError } from '../io/types.js';
import { KernelError } from '../methods/kernel.js';
import { CancelledError } from './cancel.js';
import type { MemoryBudget } from './memory-budget.js';
import type { StatSums } from '../diagnostics/merge-stats.js';
import type { WorkerFailure, WorkerRequest, WorkerResponse, WorkerTask } from './task-types.js';
import type { WorkerResult } from './worker.js';
import { builtFile } from '../built-file.js';

export interface TaskUnit {
  task: WorkerTask;
  /** Bytes of work (input read once + output written), for progress. */
  workBytes: number;
  /** Working memory the task needs while it runs. */
  memoryBytes: number;
  /**
   * Called on the main thread when the unit's worker has returned: units that can run now (e.g.
   * the next pass over a split tensor, once its last range is in). They run before the units still
   * queued. May throw, which fails the run.
   */
  followUp?: (response: WorkerResponse) => TaskUnit[];
}

export interface ExecuteOptions<U extends TaskUnit = TaskUnit> {
  units: U[];
  threads?: number;
  chunk: number;
  backend: 'auto' | 'wasm' | 'ts';
  budget: MemoryBudget;
  signal?: AbortSignal;
  delayMs?: number;
  diagnostics?: boolean;
  /**
   * Called from the main thread as each unit (follow-ups included) completes, in completion order;
   * nonFinite: the NaN and ±Inf among the values the unit wrote, when there were any.
   */
  onUnitDone?: (unit: U, warnings: string[], stats?: StatSums, nonFinite?: WorkerResponse['nonFinite']) => void;
  /** Work bytes done so far; called at least 5 times a second while running. */
  onProgress?: (bytesDone: number) => void;
  progressIntervalMs?: number;
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

function errorFromFailure(f: WorkerFailure): Error {
  switch (f.kind) {
    case 'cancelled':
      return new CancelledError();
    case 'input':
      return new InputError(f.message, f.file, f.tensor);
    case 'kernel':
      return new KernelError(f.message, f.tensor ?? '');
    default:
      return new Error(f.message);
  }
}

export async function executeTasks<U extends TaskUnit>(opts: ExecuteOptions<U>): Promise<void> {
  const threads = Math.max(1, Math.min(opts.threads ?? defaultThreads(), Math.max(1, opts.units.length)));
  const flagsBuffer = new SharedArrayBuffer(4);
  const progressBuffer = new SharedArrayBuffer(8);
  const flags = new Int32Array(flagsBuffer);
  const progress = new BigInt64Array(progressBuffer);
  const pool = new Piscina({
    filename: builtFile('electron/engine/executor/worker.js'),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
  });

  let failure: Error | undefined;
  // Lanes with nothing to run while units are in flight wait here for follow-ups (or the end).
  let wake: (() => void) | undefined;
  let woken = new Promise<void>((r) => (wake = r));
  const wakeLanes = () => {
    wake?.();
    woken = new Promise<void>((r) => (wake = r));
  };
  const cancel = (err: Error) => {
    if (!failure) failure = err;
    Atomics.store(flags, 0, 1);
    wakeLanes();
  };
  const onAbort = () => cancel(new CancelledError());
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort);

  const report = () => opts.onProgress?.(Number(Atomics.load(progress, 0)));
  const timer = setInterval(report, opts.progressIntervalMs ?? 100);

  const queue: U[] = [...opts.units];
  let inFlight = 0;
  const lane = async () => {
    while (!failure) {
      const unit = queue.shift();
      if (!unit) {
        if (inFlight === 0) return;
        await woken;
        continue;
      }
      inFlight++;
      await opts.budget.acquire(unit.memoryBytes);
      try {
        if (failure) return;
        const req: WorkerRequest = {
          task: unit.task,
          flagsBuffer,
          progressBuffer,
          workBytes: unit.workBytes,
          chunk: opts.chunk,
          backend: opts.backend,
          delayMs: opts.delayMs ?? 0,
          diagnostics: opts.diagnostics ?? false,
        };
        const result = (await pool.run(req)) as WorkerResult;
        if (!result.ok) {
          cancel(errorFromFailure(result.failure));
          return;
        }
        const next = (unit.followUp?.(result.value) ?? []) as U[];
        queue.unshift(...next);
        opts.onUnitDone?.(unit, result.value.warnings, result.value.stats, result.value.nonFinite);
      } catch (err) {
        cancel(err instanceof Error ? err : new Error(String(err)));
        return;
      } finally {
        opts.budget.release(unit.memoryBytes);
        inFlight--;
        wakeLanes();
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: threads }, lane));
  } finally {
    clearInterval(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    report();
    await pool.destroy();
  }
  if (failure) throw failure;
}
