/**
 * Fisher files: safetensors holding, for every float tensor of a model, its diagonal Fisher
 * (F32, same name and shape), with metadata saying how it was estimated. Reading one checks it
 * against its model and names the file and tensor on any mismatch.
 */
import { openCheckpoint } from '../io/checkpoint.js';
import { isFloatDtype } from '../io/dtype.js';
import { InputError, type CheckpointInfo } from '../io/types.js';
import { writeTensorFile } from '../lora/write-tensor-files.js';

export interface FisherTensor {
  name: string;
  shape: readonly number[];
  values: Float32Array;
}

export interface FisherFileInfo {
  /** What the numbers are, shown wherever the Fisher is shown. */
  estimator: string;
  /** The model it was estimated for. */
  model: string;
  /** Windows (language models) or samples (MLP classifiers) averaged over. */
  count: number;
  /** Probe text or data file names. */
  sources: string[];
}

export const FISHER_FORMAT = 'crucible-diagonal-fisher-v1';

export async function writeFisherFile(path: string, tensors: readonly FisherTensor[], info: FisherFileInfo): Promise<void> {
  const metadata = {
    crucible_fisher: FISHER_FORMAT,
    crucible_fisher_estimator: info.estimator,
    crucible_fisher_model: info.model,
    crucible_fisher_count: String(info.count),
    crucible_fisher_sources: JSON.stringify(info.sources),
  };
  await writeTensorFile(
    path,
    tensors.map((t) => ({ name: t.name, dtype: 'F32' as const, shape: t.shape })),
    metadata,
    (_spec, i) => new Uint8Array(tensors[i].values.buffer, tensors[i].values.byteOffset, tensors[i].values.byteLength),
  );
}

/** Opens a Fisher file and checks it covers every float tensor of `model` with the same shape, as floats. */
export async function openFisherFile(path: string, model: CheckpointInfo): Promise<CheckpointInfo> {
  const fisher = await openCheckpoint(path);
  for (const t of model.tensors.values()) {
    if (!isFloatDtype(t.dtype)) continue;
    const f = fisher.tensors.get(t.name);
    if (!f) throw new InputError(`${path}: no Fisher for tensor ${JSON.stringify(t.name)} of ${model.path}`, path, t.name);
    if (f.shape.join() !== t.shape.join()) {
      throw new InputError(
        `${f.file}: the Fisher of tensor ${JSON.stringify(t.name)} has shape [${f.shape.join(', ')}], the model's is [${t.shape.join(', ')}] (${t.file})`,
        f.file,
        t.name,
      );
    }
    if (!isFloatDtype(f.dtype)) throw new InputError(`${f.file}: the Fisher of tensor ${JSON.stringify(t.name)} has dtype ${f.dtype}, not a float`, f.file, t.name);
  }
  return fisher;
}
