import { describe, expect, it } from 'vitest';
import { parseSafetensorsHeader } from '../../../electron/engine/io/safetensors-header.js';
import { findDuplicateKey, JsonSyntaxError, parseStrictJson } from '../../../electron/engine/io/strict-json.js';

describe('parseStrictJson', () => {
  it('parses valid JSON like JSON.parse', () => {
    expect(parseStrictJson('{"a":[1,{"b":"c"}],"d":null}')).toEqual({ a: [1, { b: 'c' }], d: null });
    expect(parseStrictJson(' [1, 2] ')).toEqual([1, 2]);
  });
  it('refuses invalid JSON with a JsonSyntaxError', () => {
    expect(() => parseStrictJson('{"a":')).toThrow(JsonSyntaxError);
    expect(() => parseStrictJson('')).toThrow(/invalid JSON/);
  });
  it('refuses duplicate keys at any depth and says where', () => {
    expect(() => parseStrictJson('{"a":1,"a":2}')).toThrow('duplicate key "a" at $');
    expect(() => parseStrictJson('{"x":{"y":[{"k":1,"k":2}]}}')).toThrow('duplicate key "k" at $["x"]["y"][]');
  });
});

describe('findDuplicateKey', () => {
  it('is not fooled by keys in different objects, values equal to keys, or quotes and braces inside strings', () => {
    expect(findDuplicateKey('{"a":{"a":1},"b":{"a":"a"}}')).toBeNull();
    expect(findDuplicateKey('[{"a":1},{"a":1}]')).toBeNull();
    expect(findDuplicateKey('{"a\\"":"}{,\\"a\\":","a":"[\\\\"}')).toBeNull();
    expect(findDuplicateKey('{"a\\"":1,"a\\u0022":2}')).toEqual({ key: 'a"', path: '$' });
  });
  it('finds a duplicate after a nested container closes', () => {
    expect(findDuplicateKey('{"a":{"x":[1,{"y":2}]},"b":[],"a":3}')).toEqual({ key: 'a', path: '$' });
  });
});

describe('large headers', () => {
  it('parses a ~12 MB header with 120,000 tensors in linear time', () => {
    const n = 120_000;
    const parts = ['{"__metadata__":{"format":"pt","note":"' + 'x'.repeat(5_000_000) + '"}'];
    for (let i = 0; i < n; i++) {
      parts.push(`,"model.layers.${i}.some_long_module_name.weight":{"dtype":"BF16","shape":[4],"data_offsets":[${8 * i},${8 * i + 8}]}`);
    }
    parts.push('}');
    const bytes = new TextEncoder().encode(parts.join(''));
    expect(bytes.length).toBeGreaterThan(12_000_000);
    const t0 = performance.now();
    const h = parseSafetensorsHeader(bytes, '/big.safetensors', 8 + bytes.length + 8 * n);
    const ms = performance.now() - t0;
    expect(h.tensors.length).toBe(n);
    expect(h.tensors[n - 1].offset).toBe(8 + bytes.length + 8 * (n - 1));
    // Quadratic work on 120,000 entries would take minutes; linear takes well under a second here.
    expect(ms).toBeLessThan(8000);
  });
});
