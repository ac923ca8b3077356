import { describe, expect, it } from 'vitest';
import { Arena, ARENA_ALIGN, type Region } from '../../../electron/engine/backend/wasm/arena.js';
import { rng } from './bits.js';

function arena(base = 1000, limit = 1 << 20): { a: Arena; ends: number[] } {
  const ends: number[] = [];
  return { a: new Arena(base, limit, (end) => ends.push(end)), ends };
}

describe('Arena', () => {
  it('hands out aligned regions above the base, asking for memory as the top rises', () => {
    const { a, ends } = arena();
    const r1 = a.alloc(10);
    const r2 = a.alloc(100);
    expect(r1).toEqual({ ptr: 1024, bytes: 64 });
    expect(r2).toEqual({ ptr: 1088, bytes: 128 });
    expect(ends).toEqual([1088, 1216]);
  });

  it('reuses freed space first-fit and coalesces neighbours', () => {
    const { a } = arena(0);
    const r = [a.alloc(64), a.alloc(64), a.alloc(64), a.alloc(64)];
    a.release(r[0]);
    a.release(r[1]);
    expect(a.alloc(128)).toEqual({ ptr: 0, bytes: 128 }); // the two freed neighbours merged
    a.release(r[2]);
    expect(a.alloc(32)).toEqual({ ptr: 128, bytes: 64 });
  });

  it('lowers the top when the last region is released', () => {
    const { a } = arena(0);
    const r1 = a.alloc(64);
    const r2 = a.alloc(64);
    a.release(r1);
    a.release(r2);
    expect([a.top, a.freeBytes]).toEqual([0, 0]);
  });

  it('never hands out overlapping live regions (random alloc/release)', () => {
    const { a } = arena(0, 1 << 30);
    const next = rng(1);
    const live: Region[] = [];
    let problems = 0;
    for (let step = 0; step < 3000; step++) {
      if (live.length > 0 && next() % 3 === 0) a.release(live.splice(next() % live.length, 1)[0]);
      else live.push(a.alloc(1 + (next() % 5000)));
      const sorted = [...live].sort((x, y) => x.ptr - y.ptr);
      for (let i = 1; i < sorted.length; i++) if (sorted[i - 1].ptr + sorted[i - 1].bytes > sorted[i].ptr) problems++;
      for (const r of live) if (r.ptr % ARENA_ALIGN !== 0) problems++;
    }
    expect(live.length).toBeGreaterThan(100);
    expect(problems).toBe(0);
  });

  it('refuses requests beyond the limit and double releases, naming the problem', () => {
    const { a } = arena(0, 4096);
    expect(() => a.alloc(8192)).toThrow(/cannot allocate 8192 bytes/);
    const r = a.alloc(64);
    a.alloc(64);
    a.release(r);
    expect(() => a.release(r)).toThrow(/released twice/);
  });
});
