/**
 * One memory budget for the whole process, however many jobs run: merge units acquire their
 * estimated working memory before they are submitted to a worker and release it when done; tasks
 * that hold weights (probes, alignment, Fisher estimation) reserve theirs for as long as they run
 * (memory-need.ts). A merge unit larger than the whole budget runs alone (admitted when nothing
 * else holds memory) rather than never. Waiters are served first come, first served; a wait can be
 * given up (cancel) without disturbing the others.
 */
import { totalmem } from 'node:os';
import { CancelledError } from './cancel.js';

const GB = 1e9;

export function defaultMemoryBudget(): number {
  return Math.max(2 * GB, Math.floor(totalmem() / 4));
}

interface Waiter {
  bytes: number;
  resolve: () => void;
}

export interface AcquireOptions {
  /** Gives up waiting (rejects with CancelledError, takes nothing) when aborted. */
  signal?: AbortSignal;
}

export class MemoryBudget {
  private used = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private limit: number) {}

  get bytesLimit(): number {
    return this.limit;
  }

  get bytesUsed(): number {
    return this.used;
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.wake();
  }

  /** Resolves when `bytes` fit (first come, first served). */
  acquire(bytes: number, opts: AcquireOptions = {}): Promise<void> {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    if (this.waiters.length === 0 && this.fits(bytes)) {
      this.used += bytes;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i < 0) return;
        this.waiters.splice(i, 1);
        reject(new CancelledError());
        // Those queued behind may fit now.
        this.wake();
      };
      const waiter: Waiter = {
        bytes,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
    this.wake();
  }

  private fits(bytes: number): boolean {
    return this.used + bytes <= this.limit || this.used === 0;
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.fits(this.waiters[0].bytes)) {
      const w = this.waiters.shift()!;
      this.used += w.bytes;
      w.resolve();
    }
  }
}

let processBudget: MemoryBudget | undefined;

/** The process-wide budget; the first caller's limit (or the default) sets it, later callers may raise or lower it. */
export function processMemoryBudget(limit?: number): MemoryBudget {
  if (!processBudget) processBudget = new MemoryBudget(limit ?? defaultMemoryBudget());
  else if (limit !== undefined) processBudget.setLimit(limit);
  return processBudget;
}
