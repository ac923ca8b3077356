/** Positions in YAML source text, and text edits applied to it. */

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export function lineStart(src: string, pos: number): number {
  return src.lastIndexOf('\n', pos - 1) + 1;
}

export function columnOf(src: string, pos: number): number {
  return pos - lineStart(src, pos);
}

/** The position after the end of the line holding `pos - 1` (a block node's end is already there). */
export function lineEndAfter(src: string, pos: number): number {
  if (pos > 0 && src[pos - 1] === '\n') return pos;
  const nl = src.indexOf('\n', pos);
  return nl < 0 ? src.length : nl + 1;
}

/** Whether only spaces precede `pos` on its line. */
export function startsLine(src: string, pos: number): boolean {
  return /^[ \t]*$/.test(src.slice(lineStart(src, pos), pos));
}

/** Every line but the first indented by `col` spaces (the first goes where the old text began). */
export function indentContinuation(text: string, col: number): string {
  const pad = ' '.repeat(col);
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join('\n');
}

/** Every line indented by `col` spaces. */
export function indentLines(text: string, col: number): string {
  const pad = ' '.repeat(col);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

export class OverlappingEditError extends Error {}

export function applyEdits(src: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new OverlappingEditError(`overlapping edits at ${e.start}`);
    out += src.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + src.slice(at);
}
