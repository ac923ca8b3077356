/** Where each window's rows sit in the stacked activations [rows, hidden] of all windows. */
import type { Segment } from '../text/segments.js';

export interface RowLayout {
  /** Total rows (tokens over all windows). */
  rows: number;
  starts: Int32Array;
  lengths: Int32Array;
  /** Longest window. */
  maxLength: number;
}

export function rowLayout(segments: readonly Segment[]): RowLayout {
  const starts = new Int32Array(segments.length);
  const lengths = new Int32Array(segments.length);
  let rows = 0;
  let maxLength = 0;
  segments.forEach((s, i) => {
    starts[i] = rows;
    lengths[i] = s.tokens.length;
    rows += s.tokens.length;
    maxLength = Math.max(maxLength, s.tokens.length);
  });
  return { rows, starts, lengths, maxLength };
}
