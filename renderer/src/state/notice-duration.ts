/**
 * How long a notice stays: errors 8 s, other notices 4 s, and longer for a long text (about 50 ms
 * per character beyond the first 80, a comfortable reading pace), at most 30 s. A click dismisses
 * any notice sooner.
 */
export const NOTICE_MAX_MS = 30_000;

export function noticeDuration(text: string, tone: 'error' | 'info'): number {
  const base = tone === 'error' ? 8000 : 4000;
  return Math.min(NOTICE_MAX_MS, base + Math.max(0, text.length - 80) * 50);
}
