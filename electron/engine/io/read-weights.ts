/** Reads the headers of a checkpoint's weight files: one .safetensors file, or an index and its shards. */
import { stat } from 'node:fs/promises';
import { readUtf8File } from './hf-config.js';
import { dirname, join } from 'node:path';
import { readSafetensorsHeader } from './read-safetensors-header.js';
import { parseShardIndex } from './shard-index.js';
import { InputError, type TensorInfo, type WeightFileInfo } from './types.js';

export interface Weights {
  files: WeightFileInfo[];
  tensors: Map<string, TensorInfo>;
}

/** One .safetensors file (absolute path). */
export async function readSingleWeights(file: string): Promise<Weights> {
  const st = await readSafetensorsHeader(file);
  const tensors = new Map<string, TensorInfo>();
  for (const t of st.tensors) tensors.set(t.name, t);
  return { files: [st.info], tensors };
}

/**
 * A sharded checkpoint from its index json (absolute path). Every shard the index names must exist
 * beside it (symlinks, as in the HF cache, are followed) and hold the tensors mapped to it; no
 * tensor may appear in two shards. Tensors a shard holds beyond the map are kept, as HF loads them.
 */
export async function readShardedWeights(indexFile: string): Promise<Weights> {
  const index = parseShardIndex(await readUtf8File(indexFile), indexFile);
  const folder = dirname(indexFile);
  const shardPaths = index.shards.map((s) => join(folder, s));
  for (const p of shardPaths) await checkShardExists(p, indexFile);

  const files: WeightFileInfo[] = [];
  const tensors = new Map<string, TensorInfo>();
  const headers = await Promise.all(shardPaths.map((p) => readSafetensorsHeader(p)));
  for (const h of headers) {
    files.push(h.info);
    for (const t of h.tensors) {
      const other = tensors.get(t.name);
      if (other) {
        throw new InputError(
          `${indexFile}: tensor ${JSON.stringify(t.name)} is present in two shards, ${other.file} and ${t.file}`,
          indexFile,
          t.name,
        );
      }
      tensors.set(t.name, t);
    }
  }
  for (const [name, shard] of index.weightMap) {
    const where = join(folder, shard);
    const t = tensors.get(name);
    if (!t || t.file !== where) {
      throw new InputError(`${indexFile}: tensor ${JSON.stringify(name)} is mapped to ${shard}, which does not contain it`, where, name);
    }
  }
  return { files, tensors };
}

async function checkShardExists(path: string, indexFile: string): Promise<void> {
  let isFile = false;
  try {
    isFile = (await stat(path)).isFile();
  } catch {
    throw new InputError(`${indexFile}: shard ${path} is missing`, path);
  }
  if (!isFile) throw new InputError(`${indexFile}: shard ${path} is not a file`, path);
}
