/**
 * Generic ways to break a byte string or a text, as fast-check arbitraries: truncation, bit and
 * byte flips, insertions and deletions, invalid UTF-8 sequences, and deep nesting.
 */
import fc from 'fast-check';

/** Byte sequences that are not UTF-8: lone continuation, overlong, surrogate, cut, out of range. */
export const INVALID_UTF8: readonly number[][] = [
  [0x80],
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

export type ByteMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; edits: { at: number; value: number }[] }
  | { kind: 'bitflip'; at: number; bit: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'invalidUtf8'; at: number; seq: number[] }
  | { kind: 'duplicateRange'; at: number; length: number; to: number };

/** Positions are fractions in [0, 1) of the input's length, so one mutation fits any input. */
const frac = fc.integer({ min: 0, max: 999_999 }).map((i) => i / 1_000_000);

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: frac }),
  fc.record({ kind: fc.constant('flip' as const), edits: fc.array(fc.record({ at: frac, value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('bitflip' as const), at: frac, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: frac, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: frac, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('invalidUtf8' as const), at: frac, seq: fc.constantFrom(...INVALID_UTF8) }),
  fc.record({ kind: fc.constant('duplicateRange' as const), at: frac, length: fc.integer({ min: 1, max: 64 }), to: frac }),
);

function pos(f: number, length: number): number {
  return Math.min(length, Math.floor(f * (length + 1)));
}

export function applyByteMutation(input: Uint8Array, m: ByteMutation, from = 0): Uint8Array {
  const head = input.subarray(0, from);
  const body = input.subarray(from);
  const n = body.length;
  let out: Uint8Array;
  switch (m.kind) {
    case 'truncate':
      return input.subarray(0, from + pos(m.at, n));
    case 'flip':
      out = Uint8Array.from(body);
      for (const e of m.edits) if (n > 0) out[Math.min(n - 1, pos(e.at, n))] = e.value;
      break;
    case 'bitflip':
      out = Uint8Array.from(body);
      if (n > 0) out[Math.min(n - 1, pos(m.at, n))] ^= 1 << m.bit;
      break;
    case 'insert':
    case 'invalidUtf8': {
      const at = pos(m.at, n);
      const bytes = m.kind === 'insert' ? m.bytes : m.seq;
      out = concat(body.subarray(0, at), Uint8Array.from(bytes), body.subarray(at));
      break;
    }
    case 'delete': {
      const at = pos(m.at, n);
      out = concat(body.subarray(0, at), body.subarray(Math.min(n, at + m.length)));
      break;
    }
    case 'duplicateRange': {
      const at = pos(m.at, n);
      const piece = body.subarray(at, Math.min(n, at + m.length));
      const to = pos(m.to, n);
      out = concat(body.subarray(0, to), piece, body.subarray(to));
      break;
    }
  }
  return concat(head, out);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export type TextMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicateLine'; at: number; to: number }
  | { kind: 'replaceChar'; at: number; text: string };

/** Fragments that tend to matter to JSON and YAML parsers. */
export const SYNTAX_FRAGMENTS: readonly string[] = [
  '{', '}', '[', ']', ',', ':', '"', "'", '\\', '\n', '\r\n', '\t', ' ', '#', '-', '- ', '&a ', '*a', '!!', '!!binary ', '<<: ',
  '---\n', '...\n', '|', '>', '?', '%YAML 1.1\n', '\u0000', '\ufeff', '\u2028', '\ud800', 'null', 'true', '1e999', '-0', 'NaN',
  '.inf', '0x1F', '9007199254740993', '"__proto__"', '__proto__: ', 'constructor: ', '~', '@', '`',
];

const textFragment = fc.oneof(fc.constantFrom(...SYNTAX_FRAGMENTS), fc.string({ maxLength: 8, unit: 'binary' }));

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: frac }),
  fc.record({ kind: fc.constant('insert' as const), at: frac, text: textFragment }),
  fc.record({ kind: fc.constant('delete' as const), at: frac, length: fc.integer({ min: 1, max: 32 }) }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: frac, to: frac }),
  fc.record({ kind: fc.constant('replaceChar' as const), at: frac, text: textFragment }),
);

export function applyTextMutation(text: string, m: TextMutation): string {
  const n = text.length;
  const at = 'at' in m ? pos(m.at, n) : 0;
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'replaceChar':
      return text.slice(0, at) + m.text + text.slice(at + 1);
    case 'duplicateLine': {
      const lines = text.split('\n');
      const i = Math.min(lines.length - 1, Math.floor(m.at * lines.length));
      const j = Math.min(lines.length, Math.floor(m.to * (lines.length + 1)));
      lines.splice(j, 0, lines[i]);
      return lines.join('\n');
    }
  }
}

/** `depth` nested JSON arrays or objects around `inner`. */
export function nestedJson(depth: number, kind: 'array' | 'object', inner = '0'): string {
  return kind === 'array' ? '['.repeat(depth) + inner + ']'.repeat(depth) : '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
}
