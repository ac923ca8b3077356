/**
 * The bytes of a safetensors header for tensors written contiguously in the given order:
 * 8-byte LE length, then JSON with `__metadata__` first (`format: pt` plus the given strings),
 * padded with spaces so the data section starts on an 8-byte boundary.
 */
import { DTYPE_SIZE, isDtype, type Dtype } from './dtype.js';
import { MAX_HEADER_BYTES, PREFIX_BYTES, shapeNumel } from './safetensors-header.js';

export interface TensorSpec {
  name: string;
  dtype: Dtype;
  shape: readonly number[];
}

export interface PlacedTensor {
  name: string;
  dtype: Dtype;
  shape: number[];
  /** Absolute byte offset of the tensor's data in its file. */
  offset: number;
  byteLength: number;
}

export interface FileLayout {
  /** Prefix and padded JSON: the first header.length bytes of the file. */
  header: Uint8Array;
  tensors: PlacedTensor[];
  /** Total file size in bytes. */
  size: number;
}

/** Bytes of one tensor's data; throws on a bad dtype or shape (these are programming errors). */
export function tensorByteLength(t: TensorSpec): number {
  if (!isDtype(t.dtype)) throw new Error(`tensor ${JSON.stringify(t.name)}: unknown dtype ${JSON.stringify(t.dtype)}`);
  for (const d of t.shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new Error(`tensor ${JSON.stringify(t.name)}: bad shape ${JSON.stringify(t.shape)}`);
  }
  const numel = shapeNumel(t.shape);
  const bytes = numel === null ? NaN : numel * DTYPE_SIZE[t.dtype];
  if (!Number.isSafeInteger(bytes)) throw new Error(`tensor ${JSON.stringify(t.name)}: shape ${JSON.stringify(t.shape)} is too large`);
  return bytes;
}

const encoder = new TextEncoder();

export function layoutSafetensorsFile(tensors: readonly TensorSpec[], metadata: Readonly<Record<string, string>> = {}): FileLayout {
  const meta: Record<string, string> = { format: 'pt' };
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new Error(`metadata ${JSON.stringify(k)} is not a string`);
    meta[k] = v;
  }
  const parts: string[] = [`{"__metadata__":${JSON.stringify(meta)}`];
  const seen = new Set<string>();
  const relative: { t: TensorSpec; begin: number; byteLength: number }[] = [];
  let pos = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__') throw new Error('a tensor cannot be named __metadata__');
    if (seen.has(t.name)) throw new Error(`tensor ${JSON.stringify(t.name)} given twice`);
    seen.add(t.name);
    const byteLength = tensorByteLength(t);
    parts.push(
      `,${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${pos},${pos + byteLength}]}`,
    );
    relative.push({ t, begin: pos, byteLength });
    pos += byteLength;
  }
  parts.push('}');
  const json = encoder.encode(parts.join(''));
  const padded = Math.ceil((PREFIX_BYTES + json.length) / 8) * 8 - PREFIX_BYTES;
  if (padded > MAX_HEADER_BYTES) throw new Error(`safetensors header of ${padded} bytes exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const header = new Uint8Array(PREFIX_BYTES + padded);
  new DataView(header.buffer).setBigUint64(0, BigInt(padded), true);
  header.set(json, PREFIX_BYTES);
  header.fill(0x20, PREFIX_BYTES + json.length);
  const dataStart = header.length;
  return {
    header,
    tensors: relative.map(({ t, begin, byteLength }) => ({
      name: t.name,
      dtype: t.dtype,
      shape: [...t.shape],
      offset: dataStart + begin,
      byteLength,
    })),
    size: dataStart + pos,
  };
}
