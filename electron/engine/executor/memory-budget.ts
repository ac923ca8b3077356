/**
 * One memory budget for the whole process, however many jobs run: tasks acquire their estimated
 * working memory before they are submitted to a worker and release it when done. A task larger
 * than the whole budget runs alone (admitted when nothing else holds memory) rather than never.
 */
import { totalmem } from 'node:os';

const GB = 1e9;

export function defaultMemoryBudget(): number {
  return Math.max(2 * GB, Math.floor(totalmem() / 4));
}

interface Waiter {
  bytes: number;
  resolve: () => void;
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
  acquire(bytes: number): Promise<void> {
    if (this.waiters.length === 0 && this.fits(bytes)) {
      this.used += bytes;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiters.push({ bytes, resolve });
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
