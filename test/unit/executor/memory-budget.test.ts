/** The process-wide memory budget: first come first served, cancellable waits, and the refusal of a task that could never fit. */
import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../../../electron/engine/executor/memory-budget.js';
import { MemoryBudgetError, withMemory } from '../../../electron/engine/executor/memory-need.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('MemoryBudget waits', () => {
  it('serves waiters in order as memory is released', async () => {
    const b = new MemoryBudget(100);
    await b.acquire(70);
    const order: string[] = [];
    const first = b.acquire(50).then(() => order.push('50'));
    const second = b.acquire(10).then(() => order.push('10'));
    await tick();
    // 10 would fit, but it came after 50: nothing jumps the queue.
    expect(order).toEqual([]);
    b.release(70);
    await Promise.all([first, second]);
    expect(order).toEqual(['50', '10']);
    expect(b.bytesUsed).toBe(60);
  });

  it('a wait given up takes nothing and lets those behind it in', async () => {
    const b = new MemoryBudget(100);
    await b.acquire(60);
    const ac = new AbortController();
    const big = b.acquire(80, { signal: ac.signal });
    let smallIn = false;
    const small = b.acquire(40).then(() => (smallIn = true));
    await tick();
    expect(smallIn).toBe(false);
    ac.abort();
    await expect(big).rejects.toMatchObject({ name: 'CancelledError' });
    await small;
    expect(b.bytesUsed).toBe(100);
  });

  it('an already aborted signal is refused at once', async () => {
    const b = new MemoryBudget(100);
    const ac = new AbortController();
    ac.abort();
    await expect(b.acquire(10, { signal: ac.signal })).rejects.toMatchObject({ name: 'CancelledError' });
    expect(b.bytesUsed).toBe(0);
  });
});

describe('withMemory', () => {
  const need = (bytes: number) => ({ task: 'The barrier preview', bytes, detail: 'one layer', hint: 'use fewer points' });

  it('refuses a need larger than the whole budget at once, saying how much it needs, without running the work', async () => {
    const b = new MemoryBudget(1024 * 1024);
    let ran = false;
    const p = withMemory(b, need(3 * 1024 * 1024), undefined, async () => {
      ran = true;
    });
    await expect(p).rejects.toBeInstanceOf(MemoryBudgetError);
    await expect(p).rejects.toThrow('The barrier preview needs about 3.00 MiB of memory (one layer), more than the whole memory budget of 1.00 MiB: raise the memory budget or use fewer points.');
    expect(ran).toBe(false);
    expect(b.bytesUsed).toBe(0);
  });

  it('refuses even when the budget is idle (a merge unit would run alone; a task holding weights must not)', async () => {
    const b = new MemoryBudget(100);
    await expect(withMemory(b, need(101), undefined, async () => 1)).rejects.toThrow(/needs about 101 B .* budget of 100 B/);
  });

  it('holds the need while the work runs, waits while the budget is full, and gives it back even when the work fails', async () => {
    const b = new MemoryBudget(100);
    await b.acquire(50);
    let seen = -1;
    const p = withMemory(b, need(60), undefined, async () => {
      seen = b.bytesUsed;
      throw new Error('boom');
    });
    await tick();
    expect(seen).toBe(-1);
    b.release(50);
    await expect(p).rejects.toThrow('boom');
    expect(seen).toBe(60);
    expect(b.bytesUsed).toBe(0);
  });

  it('a cancelled wait never runs the work', async () => {
    const b = new MemoryBudget(100);
    await b.acquire(100);
    const ac = new AbortController();
    let ran = false;
    const p = withMemory(b, need(10), ac.signal, async () => {
      ran = true;
    });
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'CancelledError' });
    b.release(100);
    await tick();
    expect(ran).toBe(false);
    expect(b.bytesUsed).toBe(0);
  });
});
