/**
 * Output layout: tensors split into shards of at most `shardSizeBytes` of data (greedy, in the
 * given order, as transformers does; a tensor larger than the limit gets a shard of its own),
 * named as HF names them, with each shard's header bytes, offsets and size, and the index json.
 */
import { layoutSafetensorsFile, tensorByteLength, type PlacedTensor, type TensorSpec } from './safetensors-layout.js';

export interface PlannedFile {
  /** `model.safetensors`, or `model-00001-of-00003.safetensors`. */
  name: string;
  /** The file's first bytes: length prefix and padded JSON header. */
  header: Uint8Array;
  /** In file order, with absolute data offsets in this file. */
  tensors: PlacedTensor[];
  /** Total file size in bytes. */
  size: number;
}

/** The content of model.safetensors.index.json (serialise with JSON.stringify). */
export interface ShardIndexJson {
  metadata: { total_size: number };
  weight_map: Record<string, string>;
}

export interface ShardLayout {
  files: PlannedFile[];
  /** Present when there is more than one file. */
  index?: ShardIndexJson;
  /** Sum of all tensors' data bytes. */
  totalSize: number;
}

export const SINGLE_FILE_NAME = 'model.safetensors';

/** HF's shard name: 1-based index and count, 5 digits each. */
export function shardFileName(index: number, count: number): string {
  const pad = (n: number) => String(n).padStart(5, '0');
  return `model-${pad(index + 1)}-of-${pad(count)}.safetensors`;
}

export function planShards(
  tensors: readonly TensorSpec[],
  shardSizeBytes: number,
  metadata: Readonly<Record<string, string>> = {},
): ShardLayout {
  if (!Number.isSafeInteger(shardSizeBytes) || shardSizeBytes <= 0) {
    throw new Error(`shard size must be a positive whole number of bytes (got ${shardSizeBytes})`);
  }
  const groups: TensorSpec[][] = [[]];
  let current = 0;
  let totalSize = 0;
  for (const t of tensors) {
    const bytes = tensorByteLength(t);
    totalSize += bytes;
    const last = groups[groups.length - 1];
    if (last.length > 0 && current + bytes > shardSizeBytes) {
      groups.push([t]);
      current = bytes;
    } else {
      last.push(t);
      current += bytes;
    }
  }
  const count = groups.length;
  const files: PlannedFile[] = groups.map((group, i) => ({
    name: count === 1 ? SINGLE_FILE_NAME : shardFileName(i, count),
    ...layoutSafetensorsFile(group, metadata),
  }));
  if (count === 1) return { files, totalSize };

  const entries: [string, string][] = files.flatMap((f) => f.tensors.map((t): [string, string] => [t.name, f.name]));
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // A null-prototype object, so that a tensor named "__proto__" is an ordinary key.
  const weightMap = Object.create(null) as Record<string, string>;
  for (const [name, file] of entries) weightMap[name] = file;
  return { files, index: { metadata: { total_size: totalSize }, weight_map: weightMap }, totalSize };
}
