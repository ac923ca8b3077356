/**
 * JSON parsing that refuses duplicate object keys at any nesting level.
 *
 * Hand-written on purpose: JSON.parse silently keeps the last of two equal keys, and the npm
 * parsers at hand are either lenient (json5, jsonc-parser: comments, trailing commas) or
 * value-building parsers far slower than the native one on a 100 MB safetensors header. So the
 * text is parsed by JSON.parse (validity, values), then scanned once, linearly, for duplicates.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Why a text is not acceptable JSON; `message` is short and has no file name. */
export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/**
 * Nesting deeper than this is refused before parsing: no header, index or config nests past a few
 * levels, and the limit bounds the time and memory a hostile file can cost (found by test/fuzz/).
 */
export const MAX_JSON_DEPTH = 256;

/** JSON.parse plus a depth limit and a duplicate-key check. Throws JsonSyntaxError. */
export function parseStrictJson(text: string): JsonValue {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw new JsonSyntaxError(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new JsonSyntaxError(`invalid JSON (${(e as Error).message})`);
  }
  const dup = findDuplicateKey(text);
  if (dup !== null) throw new JsonSyntaxError(`duplicate key ${JSON.stringify(dup.key)} at ${dup.path}`);
  return value;
}

/** True when brackets outside strings nest deeper than `limit` (any text; stops at the first excess). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
    } else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
      depth--;
    }
  }
  return false;
}

export interface DuplicateKey {
  key: string;
  /** Where the object holding it sits, e.g. `$["weight_map"]`. */
  path: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Objects with more keys than this switch from a list to a Set (most objects are small). */
const SMALL_OBJECT = 16;

interface Frame {
  /** Keys seen so far (a list while small); null for an array. */
  keys: string[] | Set<string> | null;
  /** The key under which this container sits in its parent object (null: root or array item). */
  parentKey: string | null;
}

/**
 * The first duplicate key of a text that is already known to be valid JSON, or null.
 * One pass; each string is visited once (keys with escapes are decoded by JSON.parse).
 */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const stack: Frame[] = [];
  let expectKey = false;
  let lastKey = '';
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i + 1;
      let escaped = false;
      i = start;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) {
          escaped = true;
          i++;
        } else if (d === QUOTE) break;
      }
      if (expectKey) {
        const raw = text.slice(start, i);
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        const top = stack[stack.length - 1];
        if (!addKey(top, key)) return { key, path: pathOf(stack) };
        lastKey = key;
        expectKey = false;
      }
    } else if (c === OPEN_OBJ) {
      stack.push({ keys: [], parentKey: parentKeyFor(stack, lastKey) });
      expectKey = true;
    } else if (c === OPEN_ARR) {
      stack.push({ keys: null, parentKey: parentKeyFor(stack, lastKey) });
      expectKey = false;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
      stack.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = stack.length > 0 && stack[stack.length - 1].keys !== null;
    } else if (c === COLON) {
      expectKey = false;
    }
  }
  return null;
}

/** Records `key` in the object frame; false when it was already there. */
function addKey(frame: Frame, key: string): boolean {
  const keys = frame.keys!;
  if (Array.isArray(keys)) {
    if (keys.includes(key)) return false;
    keys.push(key);
    if (keys.length > SMALL_OBJECT) frame.keys = new Set(keys);
    return true;
  }
  if (keys.has(key)) return false;
  keys.add(key);
  return true;
}

function parentKeyFor(stack: Frame[], lastKey: string): string | null {
  return stack.length === 0 || stack[stack.length - 1].keys === null ? null : lastKey;
}

/** Built only for the message: `$`, then `["key"]` or `[]` (array item) per level. */
function pathOf(stack: Frame[]): string {
  return stack.map((f, i) => (i === 0 ? '$' : f.parentKey === null ? '[]' : `[${JSON.stringify(f.parentKey)}]`)).join('');
}
