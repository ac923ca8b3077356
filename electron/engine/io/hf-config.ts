/** config.json of a Hugging Face model folder: parsing and the facts the engine needs from it. */
import { readFile, stat } from 'node:fs/promises';
import { parseStrictJson, JsonSyntaxError } from './strict-json.js';
import { InputError } from './types.js';

/** Config keys that give the decoder layer count, in order of preference. */
export const LAYER_COUNT_KEYS = ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers'] as const;

/** JSON files (config.json, index json) above this size are refused unread: it bounds memory. */
export const MAX_JSON_FILE_BYTES = 100_000_000;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A small text file, strictly UTF-8, at most MAX_JSON_FILE_BYTES. Throws InputError naming it. */
export async function readUtf8File(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    const size = (await stat(file)).size;
    if (size > MAX_JSON_FILE_BYTES) throw new InputError(`${file}: ${size} bytes, larger than the ${MAX_JSON_FILE_BYTES}-byte limit for a JSON file`, file);
    bytes = await readFile(file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InputError(`${file}: not valid UTF-8`, file);
  }
}

/** Reads and parses a JSON object file (config.json, index json...). Throws InputError naming it. */
export async function readJsonObject(file: string): Promise<Record<string, unknown>> {
  return parseJsonObject(await readUtf8File(file), file);
}

/** Parses `text` as a JSON object, refusing duplicate keys; errors name `file`. */
export function parseJsonObject(text: string, file: string): Record<string, unknown> {
  let value;
  try {
    value = parseStrictJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new InputError(`${file}: ${e.message}`, file);
    throw e;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${file}: expected a JSON object`, file);
  }
  return value;
}

/** The first of num_hidden_layers / n_layer / num_layers / n_layers that is a non-negative integer. */
export function layerCountFromConfig(config: Record<string, unknown>): number | undefined {
  for (const key of LAYER_COUNT_KEYS) {
    const v = config[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  }
  return undefined;
}

/** architectures[0], else model_type. */
export function architectureFromConfig(config: Record<string, unknown>): string | undefined {
  const archs = config.architectures;
  if (Array.isArray(archs) && typeof archs[0] === 'string') return archs[0];
  return typeof config.model_type === 'string' ? config.model_type : undefined;
}
