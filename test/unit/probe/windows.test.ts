/** The window/stride scoring rule on hand-made cases (HF strided perplexity semantics). */
import { describe, expect, it } from 'vitest';
import { planWindows, scoredCount } from '../../../electron/engine/probe/text/windows.js';
import { segmentTexts } from '../../../electron/engine/probe/text/segments.js';

/** Token indices scored by a plan (each predicted from the position before it). */
function scoredTokens(n: number, window: number, stride: number): number[] {
  return planWindows(n, { window, stride }).flatMap((w) => Array.from({ length: w.length - w.firstTarget }, (_, i) => w.start + w.firstTarget + i));
}

describe('planWindows', () => {
  it('window = stride: windows tile the text and the first token of each later window is never predicted', () => {
    // 10 tokens, window 4: [0,4) predicts 1,2,3; [4,8) predicts 5,6,7; [8,10) predicts 9.
    expect(planWindows(10, { window: 4, stride: 4 })).toEqual([
      { start: 0, length: 4, firstTarget: 1 },
      { start: 4, length: 4, firstTarget: 1 },
      { start: 8, length: 2, firstTarget: 1 },
    ]);
    expect(scoredTokens(10, 4, 4)).toEqual([1, 2, 3, 5, 6, 7, 9]);
  });

  it('stride < window: later windows score only tokens not predicted before, with more context', () => {
    // 10 tokens, window 4, stride 2: [0,4) → 1,2,3; [2,6) → 4,5; [4,8) → 6,7; [6,10) → 8,9 (reaches the end: stop).
    expect(planWindows(10, { window: 4, stride: 2 })).toEqual([
      { start: 0, length: 4, firstTarget: 1 },
      { start: 2, length: 4, firstTarget: 2 },
      { start: 4, length: 4, firstTarget: 2 },
      { start: 6, length: 4, firstTarget: 2 },
    ]);
    expect(scoredTokens(10, 4, 2)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a last window of one token is not scored; one of two tokens is', () => {
    expect(planWindows(9, { window: 4, stride: 4 }).map((w) => w.start)).toEqual([0, 4]);
    expect(scoredTokens(9, 4, 4)).toEqual([1, 2, 3, 5, 6, 7]);
    expect(scoredTokens(10, 4, 4).at(-1)).toBe(9);
  });

  it('a text shorter than the window is one window predicting every token but the first', () => {
    expect(planWindows(5, { window: 128, stride: 128 })).toEqual([{ start: 0, length: 5, firstTarget: 1 }]);
  });

  it('with stride < window every token after the first is scored exactly once', () => {
    for (const [n, w, s] of [[100, 16, 5], [37, 8, 7], [64, 64, 1], [7, 3, 1]]) {
      const t = scoredTokens(n, w, s);
      expect(t).toEqual(Array.from({ length: n - 1 }, (_, i) => i + 1));
      expect(scoredCount(planWindows(n, { window: w, stride: s }))).toBe(n - 1);
    }
  });

  it('refuses a window below 2 and a stride below 1', () => {
    expect(() => planWindows(10, { window: 1 })).toThrow(/window/);
    expect(() => planWindows(10, { stride: 0 })).toThrow(/stride/);
  });

  it('segments carry the window tokens and refuse a text of fewer than 2 tokens', () => {
    const ids = Int32Array.from([5, 6, 7, 8, 9, 10]);
    const segs = segmentTexts([ids], { window: 4, stride: 2 });
    expect(segs.map((s) => [...s.tokens])).toEqual([[5, 6, 7, 8], [7, 8, 9, 10]]);
    expect(() => segmentTexts([Int32Array.from([1])], {}, ['tiny.txt'])).toThrow(/tiny\.txt/);
  });
});
