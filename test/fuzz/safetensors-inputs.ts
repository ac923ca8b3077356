/**
 * Malformed safetensors files for the fuzzer, each with what the reader must say about it.
 * A valid file is generated first (random names, dtypes, shapes, metadata), then broken in one of
 * three ways: a structural change to its header (known to be invalid, with the word the refusal
 * must contain), a raw change to its bytes (may or may not stay valid), or a new length prefix.
 */
import fc from 'fast-check';
import { DTYPE_SIZE } from '../../electron/engine/io/dtype.js';
import { applyByteMutation, byteMutation, concat, INVALID_UTF8, nestedJson, type ByteMutation } from './mutations.js';

export const DTYPES = Object.keys(DTYPE_SIZE);

export interface HeaderEntry {
  dtype: unknown;
  shape: unknown;
  data_offsets: unknown;
  [k: string]: unknown;
}

export interface ValidSpec {
  tensors: { name: string; dtype: string; shape: number[] }[];
  metadata: Record<string, string>;
}

const tensorName = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }),
  fc.constantFrom('model.embed_tokens.weight', 'lm_head.weight', '__proto__', 'constructor', 'a/../b', ''),
);

export const validSpec: fc.Arbitrary<ValidSpec> = fc.record({
  tensors: fc
    .uniqueArray(
      fc.record({
        name: tensorName,
        dtype: fc.constantFrom(...DTYPES),
        shape: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
      }),
      { selector: (t) => t.name, maxLength: 6 },
    )
    .map((ts) => ts.filter((t) => t.name !== '__metadata__')),
  metadata: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
});

/** The header object of a valid spec: tensors back to back in the given order. */
export function headerOf(spec: ValidSpec): { header: Record<string, HeaderEntry | Record<string, string>>; dataSize: number } {
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (Object.keys(spec.metadata).length > 0) header.__metadata__ = spec.metadata;
  let pos = 0;
  for (const t of spec.tensors) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * DTYPE_SIZE[t.dtype as keyof typeof DTYPE_SIZE];
    // defineProperty: a tensor named "__proto__" must be an own key, as JSON.parse makes it.
    Object.defineProperty(header, t.name, { value: { dtype: t.dtype, shape: t.shape, data_offsets: [pos, pos + bytes] }, enumerable: true, writable: true, configurable: true });
    pos += bytes;
  }
  return { header, dataSize: pos };
}

/** Prefix + header text (UTF-8, padded to 8 bytes) + data section of `dataSize` bytes (patterned, not zeros). */
export function fileBytes(headerText: string | Uint8Array, dataSize: number, prefixOverride?: bigint): Uint8Array {
  const json = typeof headerText === 'string' ? new TextEncoder().encode(headerText) : headerText;
  const padded = new Uint8Array(Math.ceil((8 + json.length) / 8) * 8 - 8).fill(0x20);
  padded.set(json);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, prefixOverride ?? BigInt(padded.length), true);
  const data = new Uint8Array(dataSize);
  for (let i = 0; i < dataSize; i++) data[i] = (i * 131 + 7) & 0xff;
  return concat(prefix, padded, data);
}

/** A structural change known to make the header invalid, and the refusal's expected wording. */
export interface HeaderBreak {
  label: string;
  apply: (header: Record<string, HeaderEntry | Record<string, string>>, names: string[], dataSize: number) => string | null;
  /** Bytes added to the end of the data section (the header's offsets unchanged unless `apply` moves them). */
  extraBytes?: number;
  expect: RegExp;
}

function entryOf(header: Record<string, unknown>, name: string): HeaderEntry {
  return header[name] as HeaderEntry;
}

function json(header: object): string {
  return JSON.stringify(header);
}

/** Picks the i-th name modulo the count (null when there are no tensors). */
function pick(names: string[], i: number): string | null {
  return names.length === 0 ? null : names[i % names.length];
}

const NOT_DTYPES = ['F8_E4M3', 'F8_E5M2', 'F4', 'F6_E2M3', 'C64', 'f32', 'FLOAT', 'BF32', 'Q4_0', '', 'F32 ', 'toString', '__proto__', 'hasOwnProperty'];

export const headerBreak = (i: number, k: number, str: string, big: number): HeaderBreak[] => [
  {
    label: 'unknown dtype',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      entryOf(h, n).dtype = DTYPES.includes(str) ? NOT_DTYPES[k % NOT_DTYPES.length] : [NOT_DTYPES[k % NOT_DTYPES.length], str][k % 2];
      return json(h);
    },
    expect: /dtype/,
  },
  {
    label: 'dtype of another type',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      entryOf(h, n).dtype = [4, null, ['F32'], { F32: 1 }, true][k % 5];
      return json(h);
    },
    expect: /"dtype"/,
  },
  {
    label: 'negative offset',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      const [b, e] = entryOf(h, n).data_offsets as number[];
      entryOf(h, n).data_offsets = k % 2 ? [-1 - (k % 100), e] : [b, -1 - (k % 100)];
      return json(h);
    },
    expect: /data_offsets/,
  },
  {
    label: 'non-integer offset',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      const [b] = entryOf(h, n).data_offsets as number[];
      entryOf(h, n).data_offsets = [[b + 0.5, b + 8], ['0', 8], [b, 1e300], [b, 2 ** 53 + 2], [null, b]][k % 5];
      return json(h);
    },
    expect: /data_offsets/,
  },
  {
    label: 'offsets not a pair',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      entryOf(h, n).data_offsets = [[], [0], [0, 1, 2], '0,4', { begin: 0, end: 4 }][k % 5];
      return json(h);
    },
    expect: /data_offsets/,
  },
  {
    label: 'begin after end',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      const [b, e] = entryOf(h, n).data_offsets as number[];
      entryOf(h, n).data_offsets = [e + 1 + (k % 7), b];
      return json(h);
    },
    expect: /begin after end|past the data section/,
  },
  {
    label: 'offsets past the data section',
    apply: (h, names, dataSize) => {
      const n = pick(names, i);
      if (n === null) return null;
      const [b, e] = entryOf(h, n).data_offsets as number[];
      const shift = dataSize - b + 1 + (big % 1_000_000);
      entryOf(h, n).data_offsets = [b + shift, e + shift];
      return json(h);
    },
    expect: /past the data section/,
  },
  {
    label: 'overlapping tensors',
    apply: (h, names) => {
      const nonEmpty = names.filter((n) => {
        const [b, e] = entryOf(h, n).data_offsets as number[];
        return e > b;
      });
      if (nonEmpty.length < 2) return null;
      const a = nonEmpty[i % nonEmpty.length];
      const c = nonEmpty[(i + 1 + (k % (nonEmpty.length - 1))) % nonEmpty.length];
      const [ab, ae] = entryOf(h, a).data_offsets as number[];
      const [cb, ce] = entryOf(h, c).data_offsets as number[];
      const start = ab + ((k >>> 3) % (ae - ab)); // a byte inside a
      entryOf(h, c).data_offsets = [start, start + (ce - cb)];
      return json(h);
    },
    expect: /overlap|past the data section/,
  },
  {
    // The tensors from the i-th one's begin on move k+1 bytes later, the data section grows by as
    // much: a gap before them (at the very start when that begin is 0).
    label: 'gap between tensors',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      const [from] = entryOf(h, n).data_offsets as number[];
      for (const m of names) {
        const [b, e] = entryOf(h, m).data_offsets as number[];
        if (b >= from) entryOf(h, m).data_offsets = [b + 1 + (k % 16), e + 1 + (k % 16)];
      }
      return json(h);
    },
    extraBytes: 1 + (k % 16),
    expect: /leave a gap of \d+ bytes/,
  },
  {
    label: 'bytes after the last tensor',
    apply: (h) => json(h),
    extraBytes: 1 + (k % 16),
    expect: /\d+ bytes after the end of the tensor data/,
  },
  {
    label: 'shape product that overflows',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      const shapes = [[2 ** 26, 2 ** 26, 2 ** 26], [2 ** 53 - 1, 2], [4294967296, 4294967296], [2 ** 31, 2 ** 31, 2 ** 31, 2 ** 31], [9007199254740991]];
      entryOf(h, n).shape = shapes[k % shapes.length];
      return json(h);
    },
    expect: /more elements than can be addressed|too large in bytes|needs \d+ bytes|past the data section/,
  },
  {
    label: 'shape entries that are not counts',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      entryOf(h, n).shape = [[-1], [1.5], ['4'], [null], [1e21], [2 ** 53], 'x', { 0: 1 }, [[2]]][k % 9];
      return json(h);
    },
    expect: /"shape"/,
  },
  {
    label: 'shape that does not match the offsets',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      const e = entryOf(h, n);
      e.shape = [...(e.shape as number[]), 2 + (k % 5)];
      const numel = (e.shape as number[]).reduce((a, b) => a * b, 1);
      if (numel === 0) e.shape = [1 + (k % 5)];
      return json(h);
    },
    expect: /needs \d+ bytes but data_offsets|past the data section/,
  },
  {
    label: 'missing field',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      delete entryOf(h, n)[['dtype', 'shape', 'data_offsets'][k % 3]];
      return json(h);
    },
    expect: /missing/,
  },
  {
    label: 'entry that is not an object',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      (h as Record<string, unknown>)[n] = [null, 1, 'F32', [1, 2], true][k % 5];
      return json(h);
    },
    expect: /not an object/,
  },
  {
    label: 'metadata that is not strings',
    apply: (h) => {
      (h as Record<string, unknown>).__metadata__ = [{ a: 1 }, { a: null }, { a: ['x'] }, [], 'format: pt', { a: { b: 'c' } }][k % 6];
      return json(h);
    },
    expect: /__metadata__/,
  },
  {
    label: 'duplicate tensor key',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      const text = json(h);
      return text.slice(0, -1) + `,${JSON.stringify(n)}:${JSON.stringify(entryOf(h, n))}}`;
    },
    expect: /duplicate key/,
  },
  {
    label: 'duplicate key written with escapes',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null || n.length === 0) return null;
      const escaped = '"' + Array.from({ length: n.length }, (_, j) => `\\u${n.charCodeAt(j).toString(16).padStart(4, '0')}`).join('') + '"';
      return json(h).slice(0, -1) + `,${escaped}:${JSON.stringify(entryOf(h, n))}}`;
    },
    expect: /duplicate key/,
  },
  {
    label: 'duplicate key inside an entry',
    apply: (h, names) => {
      const n = pick(names, i);
      if (n === null) return null;
      const entry = JSON.stringify(entryOf(h, n));
      const dup = entry.slice(0, -1) + `,"dtype":${JSON.stringify(entryOf(h, n).dtype)}}`;
      const rest = { ...h };
      delete rest[n];
      const restText = json(rest);
      return `{${JSON.stringify(n)}:${dup}${restText === '{}' ? '}' : ',' + restText.slice(1)}`;
    },
    expect: /duplicate key/,
  },
  {
    label: 'deep nesting',
    apply: (h) => {
      const depth = [257, 1_000, 10_000, 100_000][k % 4];
      const deep = nestedJson(depth, k % 2 ? 'array' : 'object');
      const text = json(h);
      return text === '{}' ? `{"x":${deep}}` : `{"x":${deep},${text.slice(1)}`;
    },
    expect: /nested deeper than \d+ levels/,
  },
  {
    label: 'root that is not an object',
    apply: () => ['[]', '"x"', '1', 'null', 'true', '[{}]'][k % 6],
    expect: /not a JSON object/,
  },
  {
    label: 'invalid JSON',
    apply: (h) => {
      const text = json(h);
      const cut = Math.max(1, Math.floor((text.length * (k % 97)) / 97));
      const broken = [text.slice(0, cut), text + '}', text.replace(':', ''), text + ',', `{${text}`, `{'a':1}`, `{"a":1,}`, text.replace('{', '{/*c*/')][k % 8];
      try {
        JSON.parse(broken);
        return text + '}'; // the change left it valid (e.g. no ':' to remove): break it surely
      } catch {
        return broken;
      }
    },
    expect: /JSON|not a JSON object/,
  },
  {
    label: 'invalid UTF-8',
    apply: () => null, // handled on bytes, below
    expect: /UTF-8/,
  },
];

export const HEADER_BREAKS = headerBreak(0, 0, '', 0).length;

/** The bytes of a file with an invalid UTF-8 sequence spliced into its header JSON. */
export function withInvalidUtf8(headerText: string, dataSize: number, at: number, seqIndex: number): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const cut = Math.floor(at * (json.length + 1));
  return fileBytes(concat(json.subarray(0, cut), Uint8Array.from(INVALID_UTF8[seqIndex % INVALID_UTF8.length]), json.subarray(cut)), dataSize);
}

export type Broken =
  | { kind: 'structural'; label: string; bytes: Uint8Array; expect: RegExp }
  | { kind: 'bytes'; bytes: Uint8Array; mutations: ByteMutation[] }
  | { kind: 'prefix'; bytes: Uint8Array; prefix: bigint; expect: RegExp | null };

const U64_MAX = 2n ** 64n - 1n;

/** fast-check prints this instead of the whole input when a property fails. */
function described<T extends Broken>(b: T): T {
  const head = new TextDecoder().decode(b.bytes.subarray(8, 8 + 300));
  const what = b.kind === 'structural' ? b.label : b.kind === 'prefix' ? `prefix ${b.prefix}` : JSON.stringify(b.mutations);
  return Object.assign(b, { [fc.toStringMethod]: () => `${b.kind} (${what}), ${b.bytes.length} bytes, header starts ${JSON.stringify(head)}` });
}

export const brokenSafetensors: fc.Arbitrary<Broken> = fc.oneof(
  { weight: 5, arbitrary: fc
    .record({
      spec: validSpec,
      which: fc.nat(),
      i: fc.nat(),
      k: fc.nat(),
      str: fc.string({ maxLength: 10 }),
      big: fc.nat(),
      at: fc.integer({ min: 0, max: 999_999 }).map((i) => i / 1_000_000),
    })
    .map(({ spec, which, i, k, str, big, at }): Broken | null => {
      const { header, dataSize } = headerOf(spec);
      const breaks = headerBreak(i, k, str, big);
      const b = breaks[which % breaks.length];
      if (b.label === 'invalid UTF-8') return described({ kind: 'structural', label: b.label, bytes: withInvalidUtf8(json(header), dataSize, at, k), expect: b.expect });
      const text = b.apply(header, spec.tensors.map((t) => t.name), dataSize);
      if (text === null) return null;
      return described({ kind: 'structural', label: b.label, bytes: fileBytes(text, dataSize + (b.extraBytes ?? 0)), expect: b.expect });
    })
    .filter((b): b is Broken => b !== null) },
  { weight: 3, arbitrary: fc.record({ spec: validSpec, mutations: fc.array(byteMutation, { minLength: 1, maxLength: 4 }), headerOnly: fc.boolean() }).map(({ spec, mutations, headerOnly }): Broken => {
    const { header, dataSize } = headerOf(spec);
    let bytes = fileBytes(json(header), dataSize);
    for (const m of mutations) bytes = applyByteMutation(bytes, m, headerOnly ? 8 : 0);
    return described({ kind: 'bytes', bytes, mutations });
  }) },
  { weight: 2, arbitrary: fc
    .record({
      spec: validSpec,
      prefix: fc.oneof(
        fc.bigInt({ min: 0n, max: U64_MAX }),
        fc.bigInt({ min: 0n, max: 4096n }),
        fc.constantFrom(U64_MAX, 2n ** 63n, 2n ** 53n, 2n ** 53n + 1n, 100_000_000n, 100_000_001n, 2n ** 32n, 0n, 1n, 7n),
      ),
    })
    .map(({ spec, prefix }): Broken => {
      const { header, dataSize } = headerOf(spec);
      const good = fileBytes(json(header), dataSize);
      const actual = new DataView(good.buffer).getBigUint64(0, true);
      const bytes = fileBytes(json(header), dataSize, prefix);
      const expect =
        prefix === actual ? null
        : prefix > 100_000_000n ? /exceeds the 100000000-byte limit/
        : prefix + 8n > BigInt(bytes.length) ? /runs past the end of the file/
        : null; // shorter than the JSON: usually invalid JSON, but not always (e.g. a cut in the padding)
      return described({ kind: 'prefix', bytes, prefix, expect });
    }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes): Broken => described({ kind: 'bytes', bytes, mutations: [] })) },
);
