/**
 * Strict parsing of a safetensors header (pure: bytes in, tensor descriptions out; no file access).
 *
 * Layout: an 8-byte little-endian u64 N, then N bytes of UTF-8 JSON
 * `{"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}`,
 * then the data section; offsets are relative to its first byte, and the tensors fill it back to
 * back with nothing after the last (as the reference reader requires). Every violation is an InputError
 * naming the file (and the tensor where one is involved).
 */
import { DTYPE_SIZE, isDtype, type Dtype } from './dtype.js';
import { parseStrictJson, JsonSyntaxError, type JsonValue } from './strict-json.js';
import { InputError, type TensorInfo } from './types.js';

/** Headers above this size are refused (the reference implementation's own limit). */
export const MAX_HEADER_BYTES = 100_000_000;
/** The length prefix. */
export const PREFIX_BYTES = 8;

export interface ParsedHeader {
  /** N, the JSON length in bytes. */
  headerLength: number;
  /** 8 + N: absolute offset of the data section. */
  dataStart: number;
  metadata: Record<string, string>;
  /** In header order. */
  tensors: TensorInfo[];
}

/** N from the 8-byte prefix, checked against the file size. */
export function headerLengthFromPrefix(prefix: Uint8Array, file: string, fileSize: number): number {
  if (fileSize < PREFIX_BYTES || prefix.length < PREFIX_BYTES) {
    throw new InputError(`${file}: not a safetensors file (${fileSize} bytes, shorter than the 8-byte header length)`, file);
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, PREFIX_BYTES);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw new InputError(`${file}: safetensors header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`, file);
  }
  const len = Number(n);
  if (PREFIX_BYTES + len > fileSize) {
    throw new InputError(`${file}: safetensors header length ${len} runs past the end of the file (${fileSize} bytes)`, file);
  }
  return len;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses and checks the header JSON (`headerBytes` = the N bytes after the prefix).
 * `fileSize` bounds the data section.
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array, file: string, fileSize: number): ParsedHeader {
  const headerLength = headerBytes.length;
  const dataStart = PREFIX_BYTES + headerLength;
  const dataSize = fileSize - dataStart;
  if (dataSize < 0) throw new InputError(`${file}: safetensors header runs past the end of the file`, file);

  let text: string;
  try {
    text = utf8.decode(headerBytes);
  } catch {
    // The usual cause: a length prefix larger than the header, so that tensor bytes are read as text.
    throw new InputError(`${file}: safetensors header is not valid UTF-8 (its ${headerLength}-byte length may reach into the tensor data: a wrong length prefix, or a damaged file)`, file);
  }
  let root: JsonValue;
  try {
    root = parseStrictJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new InputError(`${file}: safetensors header: ${e.message}`, file);
    throw e;
  }
  if (!isObject(root)) throw new InputError(`${file}: safetensors header is not a JSON object`, file);

  let metadata: Record<string, string> = {};
  const tensors: TensorInfo[] = [];
  const ranges: Range[] = [];
  for (const name of Object.keys(root)) {
    const entry = root[name];
    if (name === '__metadata__') {
      metadata = checkMetadata(entry, file);
      continue;
    }
    const t = checkEntry(name, entry, file, dataSize);
    tensors.push({ name, dtype: t.dtype, shape: t.shape, numel: t.numel, file, offset: dataStart + t.begin, byteLength: t.byteLength });
    ranges.push({ name, begin: t.begin, end: t.begin + t.byteLength });
  }
  checkNoOverlap(ranges.filter((r) => r.end > r.begin), file);
  checkContiguous(ranges, file, dataSize);
  return { headerLength, dataStart, metadata, tensors };
}

interface Range {
  name: string;
  begin: number;
  end: number;
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkMetadata(entry: JsonValue, file: string): Record<string, string> {
  if (!isObject(entry)) throw new InputError(`${file}: __metadata__ must be an object of strings`, file);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (typeof v !== 'string') {
      throw new InputError(`${file}: __metadata__ value of ${JSON.stringify(k)} is not a string`, file);
    }
    out[k] = v;
  }
  return out;
}

interface CheckedEntry {
  name: string;
  dtype: Dtype;
  shape: number[];
  numel: number;
  byteLength: number;
  begin: number;
}

function checkEntry(name: string, entry: JsonValue, file: string, dataSize: number): CheckedEntry {
  const fail = (what: string): never => {
    throw new InputError(`${file}: tensor ${JSON.stringify(name)}: ${what}`, file, name);
  };
  if (!isObject(entry)) return fail('header entry is not an object');
  const { dtype, shape, data_offsets: offsets } = entry;
  if (dtype === undefined) return fail('missing "dtype"');
  if (shape === undefined) return fail('missing "shape"');
  if (offsets === undefined) return fail('missing "data_offsets"');
  if (typeof dtype !== 'string') return fail('"dtype" is not a string');
  if (!isDtype(dtype)) return fail(unsupportedDtype(dtype));
  if (!Array.isArray(shape)) return fail('"shape" is not an array');
  for (const d of shape) {
    if (!isCount(d)) return fail(`"shape" ${JSON.stringify(shape)} has an entry that is not a non-negative integer`);
  }
  const dims = shape as number[];
  const numel = shapeNumel(dims);
  if (numel === null) return fail(`shape ${JSON.stringify(dims)} has more elements than can be addressed`);
  const byteLength = numel * DTYPE_SIZE[dtype];
  if (!Number.isSafeInteger(byteLength)) return fail(`shape ${JSON.stringify(dims)} is too large in bytes`);
  if (!Array.isArray(offsets) || offsets.length !== 2) return fail('"data_offsets" is not a [begin, end] pair');
  const [begin, end] = offsets;
  if (!isCount(begin) || !isCount(end)) return fail('"data_offsets" entries must be non-negative integers');
  if (begin > end) return fail(`data_offsets [${begin}, ${end}] begin after end`);
  if (end > dataSize) return fail(`data_offsets [${begin}, ${end}] run past the data section (${dataSize} bytes)`);
  if (end - begin !== byteLength) {
    return fail(`shape ${JSON.stringify(dims)} of ${dtype} needs ${byteLength} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype, shape: dims, numel, byteLength, begin };
}

function isCount(v: JsonValue | undefined): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** The element count, or null when it exceeds Number.MAX_SAFE_INTEGER. */
export function shapeNumel(shape: readonly number[]): number | null {
  if (shape.includes(0)) return 0;
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) return null;
  }
  return n;
}

function unsupportedDtype(dtype: string): string {
  if (/^F8/i.test(dtype) || /^F[46]/i.test(dtype)) {
    return `dtype ${dtype} (a sub-16-bit float) is not supported; convert the checkpoint to BF16, F16 or F32`;
  }
  return `unknown dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(DTYPE_SIZE).join(', ')})`;
}

/** No two non-empty tensors may share a byte (checked first: the clearest message for that fault). */
function checkNoOverlap(ranges: Range[], file: string): void {
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let prev: Range | undefined;
  for (const r of ranges) {
    if (prev && r.begin < prev.end) {
      throw new InputError(
        `${file}: tensor ${JSON.stringify(r.name)}: data_offsets [${r.begin}, ${r.end}] overlap tensor ${JSON.stringify(prev.name)} [${prev.begin}, ${prev.end}]`,
        file,
        r.name,
      );
    }
    if (!prev || r.end > prev.end) prev = r;
  }
}

/** Why a gap or trailing bytes are refused (said in each such message). */
const CONTIGUOUS_RULE = 'safetensors requires tensors stored back to back from the start of the data section to the end of the file (the reference loader, used by transformers, refuses this file)';

/**
 * The data section holds the tensors back to back from its first byte to its last, as the
 * reference implementation requires (safetensors' `Metadata::validate`: ranges sorted by
 * [begin, end] must each begin where the previous ended, else `InvalidOffset`; and
 * `read_metadata`: the last end must be the end of the file, else `MetadataIncompleteBuffer`).
 * A file that breaks this cannot be loaded by transformers, so it is not merged either. An empty
 * tensor's [k, k] is fine wherever a tensor begins or the data ends. Call after checkNoOverlap.
 */
function checkContiguous(ranges: Range[], file: string, dataSize: number): void {
  const sorted = [...ranges].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: Range | undefined;
  for (const r of sorted) {
    const where = `data_offsets [${r.begin}, ${r.end}]`;
    if (r.begin < pos && prev) {
      // Non-empty ranges do not overlap (checked before): this is an empty tensor inside another.
      throw new InputError(`${file}: tensor ${JSON.stringify(r.name)}: ${where} fall inside tensor ${JSON.stringify(prev.name)} [${prev.begin}, ${prev.end}]; ${CONTIGUOUS_RULE}`, file, r.name);
    }
    if (r.begin > pos) {
      const after = prev ? `tensor ${JSON.stringify(prev.name)} ends at ${pos}` : 'the data section starts at 0';
      throw new InputError(`${file}: tensor ${JSON.stringify(r.name)}: ${where} leave a gap of ${r.begin - pos} bytes (${after}); ${CONTIGUOUS_RULE}`, file, r.name);
    }
    pos = r.end;
    prev = r;
  }
  if (pos !== dataSize) {
    const last = prev ? `the last tensor, ${JSON.stringify(prev.name)}, ends at ${pos}` : 'it holds no tensor';
    throw new InputError(`${file}: ${dataSize - pos} bytes after the end of the tensor data (the data section is ${dataSize} bytes; ${last}); ${CONTIGUOUS_RULE}`, file);
  }
}
