/** Malformed JSON texts for the index and config fuzzers: generic damage applied to a valid text. */
import fc from 'fast-check';
import { applyTextMutation, nestedJson, textMutation, type TextMutation } from './mutations.js';

export type JsonDamage =
  | { kind: 'text'; mutations: TextMutation[] }
  | { kind: 'deep'; depth: number; array: boolean }
  | { kind: 'duplicateTopKey' }
  | { kind: 'wholeValue'; text: string };

export const jsonDamage: fc.Arbitrary<JsonDamage> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('text' as const), mutations: fc.array(textMutation, { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), depth: fc.constantFrom(257, 2_000, 50_000), array: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicateTopKey' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('wholeValue' as const),
      text: fc.oneof(fc.json({ maxDepth: 3 }), fc.constantFrom('', ' ', 'null', '[]', '"x"', '\ufeff{}', '{}', '{"a":1}{"b":2}', '\u0000')),
    }),
  },
);

/** Applies the damage; `expectRefusal` says when the result is certainly not acceptable JSON. */
export function damageJson(valid: string, d: JsonDamage): { text: string; expect?: RegExp } {
  switch (d.kind) {
    case 'text':
      return { text: d.mutations.reduce(applyTextMutation, valid) };
    case 'deep': {
      const deep = nestedJson(d.depth, d.array ? 'array' : 'object');
      return { text: `{"deep":${deep},${valid.trimStart().slice(1)}`, expect: /nested deeper than \d+ levels/ };
    }
    case 'duplicateTopKey': {
      const body = valid.trim().slice(1, -1);
      const first = /^\s*("(?:[^"\\]|\\.)*")\s*:/.exec(body);
      if (!first) return { text: valid };
      return { text: `{${body},${first[1]}:0}`, expect: /duplicate key/ };
    }
    case 'wholeValue':
      return { text: d.text };
  }
}

export function describeDamage(d: JsonDamage): string {
  return d.kind === 'text' ? `text ${JSON.stringify(d.mutations).slice(0, 300)}` : d.kind === 'wholeValue' ? `value ${JSON.stringify(d.text).slice(0, 200)}` : JSON.stringify(d);
}
