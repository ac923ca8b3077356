/** Opens a PEFT LoRA adapter: a folder with adapter_config.json and adapter_model.safetensors, or that .safetensors file. */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { openCheckpoint } from '../io/checkpoint.js';
import { readJsonObject } from '../io/hf-config.js';
import { InputError, type CheckpointInfo } from '../io/types.js';
import { parseAdapterConfig, type LoraAdapterConfig } from './adapter-config.js';

export interface LoraAdapter {
  /** The adapter folder (absolute). */
  folder: string;
  configFile: string;
  config: LoraAdapterConfig;
  /** Headers of adapter_model.safetensors. */
  weights: CheckpointInfo;
}

export async function openLoraAdapter(path: string): Promise<LoraAdapter> {
  if (!isAbsolute(path)) throw new Error(`openLoraAdapter needs an absolute path (got ${JSON.stringify(path)})`);
  if (!existsSync(path)) throw new InputError(`${path}: no such LoRA adapter (file or folder)`, path);
  const isDir = statSync(path).isDirectory();
  const folder = isDir ? path : dirname(path);
  let weightsFile = path;
  if (isDir) {
    weightsFile = join(folder, 'adapter_model.safetensors');
    if (!existsSync(weightsFile)) {
      const bin = existsSync(join(folder, 'adapter_model.bin'));
      throw new InputError(
        bin
          ? `${folder}: the adapter is stored as adapter_model.bin (pickle); Crucible reads only safetensors: re-save it with safe_serialization=True`
          : `${folder}: no adapter_model.safetensors in the adapter folder`,
        folder,
      );
    }
  }
  const configFile = join(folder, 'adapter_config.json');
  if (!existsSync(configFile)) throw new InputError(`${folder}: no adapter_config.json beside the adapter weights`, folder);
  const config = parseAdapterConfig(await readJsonObject(configFile), configFile);
  return { folder, configFile, config, weights: await openCheckpoint(weightsFile) };
}
