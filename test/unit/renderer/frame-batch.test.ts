import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { perFrame } from '../../../renderer/src/api/frame-batch.js';

describe('event batches reach the page on a frame, at most every interval', () => {
  let frames: ((t: number) => void)[];
  let now: number;
  beforeEach(() => {
    vi.useFakeTimers();
    frames = [];
    now = 1000;
    vi.stubGlobal('requestAnimationFrame', (cb: (t: number) => void) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    vi.spyOn(performance, 'now').mockImplementation(() => now);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });
  /** Runs the frames requested so far at time t. */
  const frame = (t: number): void => {
    now = t;
    const run = frames;
    frames = [];
    for (const f of run) f(t);
  };

  it('joins every push before a frame into one delivery, in order', () => {
    const got: number[][] = [];
    const push = perFrame<number>((xs) => got.push(xs), 100);
    push([1, 2]);
    push([3]);
    frame(1016);
    expect(got).toEqual([[1, 2, 3]]);
  });

  it('waits out the interval since the last delivery without asking for frames, then takes the next frame', () => {
    const got: number[][] = [];
    const push = perFrame<number>((xs) => got.push(xs), 100);
    push([1]);
    frame(1016);
    push([2]);
    push([3]);
    expect(frames).toHaveLength(0);
    now = 1080;
    vi.advanceTimersByTime(64);
    expect(frames).toHaveLength(0);
    now = 1116;
    vi.advanceTimersByTime(36);
    expect(frames).toHaveLength(1);
    expect(got).toEqual([[1]]);
    frame(1120);
    expect(got).toEqual([[1], [2, 3]]);
  });

  it('delivers by timer when no frame comes (a hidden window)', () => {
    const got: number[][] = [];
    const push = perFrame<number>((xs) => got.push(xs), 100);
    push([1]);
    now = 1300;
    vi.advanceTimersByTime(300);
    expect(got).toEqual([[1]]);
    frame(1316);
    expect(got).toEqual([[1]]);
  });
});
