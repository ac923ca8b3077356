/** `model.safetensors.index.json`: the map from tensor names to shard files of a sharded checkpoint. */
import { isAbsolute } from 'node:path';
import { parseJsonObject } from './hf-config.js';
import { InputError } from './types.js';

export const INDEX_FILE_NAME = 'model.safetensors.index.json';

export interface ShardIndex {
  /** The index file (absolute path). */
  file: string;
  /** Tensor name → shard file name (a plain name in the index's folder). */
  weightMap: Map<string, string>;
  /** Distinct shard names in order of first appearance. */
  shards: string[];
  /** metadata.total_size when present and numeric (informative; not checked). */
  totalSize?: number;
}

/** A shard name must be a plain file name in the index's folder: no separators, no `..`, not absolute. */
export function isPlainFileName(name: string): boolean {
  return (
    name.length > 0 &&
    name !== '.' &&
    name !== '..' &&
    !name.includes('/') &&
    !name.includes('\\') &&
    !name.includes('\0') &&
    !isAbsolute(name) &&
    !/^[a-zA-Z]:/.test(name)
  );
}

/** Parses and checks the index text (duplicate keys refused); `file` names it in errors. */
export function parseShardIndex(text: string, file: string): ShardIndex {
  const root = parseJsonObject(text, file);
  const map = root.weight_map;
  if (map === undefined) throw new InputError(`${file}: missing "weight_map"`, file);
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new InputError(`${file}: "weight_map" is not an object`, file);
  }
  const weightMap = new Map<string, string>();
  const shards: string[] = [];
  const seen = new Set<string>();
  for (const [tensor, shard] of Object.entries(map as Record<string, unknown>)) {
    if (typeof shard !== 'string') {
      throw new InputError(`${file}: weight_map entry of tensor ${JSON.stringify(tensor)} is not a file name`, file, tensor);
    }
    if (!isPlainFileName(shard)) {
      throw new InputError(
        `${file}: tensor ${JSON.stringify(tensor)} maps to ${JSON.stringify(shard)}, which is not a plain file name in the index's folder`,
        file,
        tensor,
      );
    }
    weightMap.set(tensor, shard);
    if (!seen.has(shard)) {
      seen.add(shard);
      shards.push(shard);
    }
  }
  const meta = root.metadata;
  let totalSize: number | undefined;
  if (typeof meta === 'object' && meta !== null && !Array.isArray(meta)) {
    const t = (meta as Record<string, unknown>).total_size;
    if (typeof t === 'number') totalSize = t;
  }
  return { file, weightMap, shards, totalSize };
}
