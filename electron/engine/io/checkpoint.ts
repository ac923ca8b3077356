/** Opens a checkpoint by its path: weight headers, config.json, layer count and architecture. */
import { access } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { architectureFromConfig, layerCountFromConfig, readJsonObject } from './hf-config.js';
import { layerCountFromNames } from './layers.js';
import { locateWeights } from './locate-weights.js';
import { readShardedWeights, readSingleWeights } from './read-weights.js';
import type { CheckpointInfo } from './types.js';

/**
 * `path`: an absolute path to a .safetensors file, a model.safetensors.index.json, or an HF model
 * folder (see locateWeights). Reads headers only. config.json is taken from the weights' folder
 * when present. Throws InputError (naming the file, and the tensor where one is involved).
 */
export async function openCheckpoint(path: string): Promise<CheckpointInfo> {
  if (!isAbsolute(path)) throw new Error(`openCheckpoint needs an absolute path (got ${JSON.stringify(path)})`);
  const where = await locateWeights(path);
  const weights = where.kind === 'single' ? await readSingleWeights(where.file) : await readShardedWeights(where.indexFile);
  const configFile = join(where.folder, 'config.json');
  const config = (await exists(configFile)) ? await readJsonObject(configFile) : undefined;
  const layerCount = (config && layerCountFromConfig(config)) ?? layerCountFromNames(weights.tensors.keys());
  return {
    path,
    folder: where.folder,
    files: weights.files,
    tensors: weights.tensors,
    config,
    layerCount,
    architecture: config ? architectureFromConfig(config) : undefined,
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

