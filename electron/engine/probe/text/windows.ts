/**
 * The windowing rule of the loss probe (Hugging Face's strided perplexity): windows start at 0,
 * stride, 2·stride, …; inside a window position p predicts token p+1; a token already predicted
 * by an earlier window is not scored again; the last window may be shorter and is scored when it
 * has at least 2 tokens; no window starts after one that reached the end of the text.
 */

export interface WindowOptions {
  /** Tokens per window (default 128). */
  window?: number;
  /** Distance between window starts (default 128). */
  stride?: number;
}

export const DEFAULT_WINDOW = 128;
export const DEFAULT_STRIDE = 128;

export interface Window {
  /** Token index of the window's first token. */
  start: number;
  /** Tokens in the window. */
  length: number;
  /** Index inside the window of the first scored target token (≥ 1); targets run to length − 1. */
  firstTarget: number;
}

export function resolveWindowOptions(o: WindowOptions = {}): { window: number; stride: number } {
  const window = o.window ?? DEFAULT_WINDOW;
  const stride = o.stride ?? DEFAULT_STRIDE;
  if (!Number.isSafeInteger(window) || window < 2) throw new RangeError(`window must be an integer ≥ 2 (got ${window})`);
  if (!Number.isSafeInteger(stride) || stride < 1) throw new RangeError(`stride must be a positive integer (got ${stride})`);
  return { window, stride };
}

/** The scored windows of a text of n tokens. Their target counts sum to the predicted-token count. */
export function planWindows(n: number, opts: WindowOptions = {}): Window[] {
  const { window, stride } = resolveWindowOptions(opts);
  const out: Window[] = [];
  let predictedUpTo = 0; // the highest token index already predicted (token 0 never is, so it counts as done)
  for (let start = 0; start < n; start += stride) {
    const end = Math.min(start + window, n);
    const length = end - start;
    if (length >= 2) {
      const firstTarget = Math.max(1, predictedUpTo + 1 - start);
      if (firstTarget < length) {
        out.push({ start, length, firstTarget });
        predictedUpTo = end - 1;
      }
    }
    if (end === n) break;
  }
  return out;
}

/** Number of predictions the windows score. */
export function scoredCount(windows: readonly Window[]): number {
  return windows.reduce((s, w) => s + w.length - w.firstTarget, 0);
}
