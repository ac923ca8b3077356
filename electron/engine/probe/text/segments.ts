/** Probe texts, tokenized and cut into the windows the forward pass runs (one segment per window). */
import { planWindows, type WindowOptions } from './windows.js';

export interface Segment {
  /** Index of the probe text this window belongs to. */
  text: number;
  /** The window's tokens; positions restart at 0 in each window. */
  tokens: Int32Array;
  /** Targets tokens[firstTarget .. length−1] are scored, predicted from positions firstTarget−1 .. length−2. */
  firstTarget: number;
}

/** One segment per scored window of each text. Throws when a text has fewer than 2 tokens. */
export function segmentTexts(texts: readonly Int32Array[], opts: WindowOptions = {}, names: readonly string[] = []): Segment[] {
  const out: Segment[] = [];
  texts.forEach((ids, text) => {
    if (ids.length < 2) throw new RangeError(`probe text ${names[text] ?? `#${text + 1}`} has ${ids.length} token(s); at least 2 are needed`);
    for (const w of planWindows(ids.length, opts)) {
      out.push({ text, tokens: ids.subarray(w.start, w.start + w.length), firstTarget: w.firstTarget });
    }
  });
  return out;
}

/** Sorted distinct token ids over all segments (the embedding rows the probe needs). */
export function distinctTokens(segments: readonly Segment[]): Int32Array {
  const seen = new Set<number>();
  for (const s of segments) for (const t of s.tokens) seen.add(t);
  return Int32Array.from([...seen].sort((a, b) => a - b));
}
