/**
 * `fisherMerge`: models and their Fisher files → one merged HF folder, tensor by tensor through
 * the Fisher kernel (spec §4). Every float tensor is merged (each tensor keeps the first model's
 * dtype unless `dtype` is given, rounded once); other tensors are copied from the first model.
 * The recipe pipeline (runMerge) cannot name Fisher inputs yet, so this is how Fisher merges run.
 */
import { resolve } from 'node:path';
import { TsBackend } from '../backend/ts-backend.js';
import { CancelledError } from '../executor/cancel.js';
import { DTYPE_SIZE, isFloatDtype, type FloatDtype } from '../io/dtype.js';
import { readTensorBytes } from '../io/read-tensor-bytes.js';
import { InputError, type CheckpointInfo, type TensorInfo } from '../io/types.js';
import { writeWeightFolder } from '../lora/write-tensor-files.js';
import type { TensorStream } from '../methods/kernel.js';
import { openModel } from '../probe/probe-loss.js';
import { copyTokenizerFiles, outputConfig, writeConfig } from '../run/output-config.js';
import { checkDestination, commitOutput, discardOutput, stageOutput } from '../run/output-folder.js';
import { fisherKernel, fisherWeightProblems } from './fisher-kernel.js';
import { openFisherFile } from './fisher-file.js';

export interface FisherMergeInput {
  model: string | CheckpointInfo;
  /** The model's Fisher file. */
  fisher: string;
  /** Default 1. */
  weight?: number;
}

export interface FisherMergeProgress {
  type: 'tensor';
  name: string;
  done: number;
  total: number;
}

export interface FisherMergeOptions {
  force?: boolean;
  dtype?: FloatDtype;
  shardSize?: number;
  /** Elements per kernel chunk (default 1 Mi). */
  chunk?: number;
  signal?: AbortSignal;
  onProgress?: (e: FisherMergeProgress) => void;
}

export interface FisherMergeResult {
  out: string;
  tensors: number;
}

const backend = new TsBackend();

/** A float tensor read by range through the process's read descriptors. */
class StoredTensorStream implements TensorStream {
  readonly numel: number;
  private raw = new Uint8Array(0);
  constructor(private readonly info: TensorInfo) {
    this.numel = info.numel;
  }
  read(start: number, count: number, dst: Float32Array): void {
    const bytes = count * DTYPE_SIZE[this.info.dtype];
    if (this.raw.length < bytes) this.raw = new Uint8Array(bytes);
    readTensorBytes(this.info, start, count, this.raw);
    backend.decode(this.info.dtype as FloatDtype, this.raw, dst, count);
  }
}

function checkSameTensors(first: CheckpointInfo, other: CheckpointInfo): void {
  for (const t of first.tensors.values()) {
    const o = other.tensors.get(t.name);
    if (!o) throw new InputError(`${other.path}: tensor ${JSON.stringify(t.name)} of ${first.path} is missing`, other.path, t.name);
    if (o.shape.join() !== t.shape.join()) {
      throw new InputError(`tensor ${JSON.stringify(t.name)} has shape [${t.shape.join(', ')}] in ${t.file} and [${o.shape.join(', ')}] in ${o.file}`, o.file, t.name);
    }
  }
  for (const name of other.tensors.keys()) {
    if (!first.tensors.has(name)) throw new InputError(`${other.path}: tensor ${JSON.stringify(name)} is not in ${first.path}`, other.path, name);
  }
}

export async function fisherMerge(inputs: readonly FisherMergeInput[], out: string, opts: FisherMergeOptions = {}): Promise<FisherMergeResult> {
  if (inputs.length === 0) throw new InputError('Fisher merging needs at least one model');
  const models = await Promise.all(inputs.map((i) => openModel(i.model)));
  for (const m of models.slice(1)) checkSameTensors(models[0], m);
  const fishers = await Promise.all(inputs.map((i, k) => openFisherFile(resolve(i.fisher), models[k])));
  const modelParams = inputs.map((i) => ({ weight: i.weight ?? 1 }));
  const problems = fisherWeightProblems(modelParams);
  if (problems.length > 0) throw new InputError(problems.map((p) => (p.model !== undefined ? `model ${p.model + 1}: ` : '') + p.message).join('; '));
  const dest = resolve(out);
  const inputFiles = [...models, ...fishers].flatMap((c) => [c.path, ...c.files.map((f) => f.path)]);
  await checkDestination(dest, inputFiles, opts.force ?? false);

  const first = models[0];
  const infos = [...first.tensors.values()];
  const dtypeOf = (t: TensorInfo) => (isFloatDtype(t.dtype) ? (opts.dtype ?? t.dtype) : t.dtype);
  const chunk = opts.chunk ?? 1 << 20;
  const staged = await stageOutput(dest);
  try {
    const metadata = {
      crucible_merge_method: 'fisher',
      crucible_fisher_inputs: JSON.stringify(inputs.map((i, k) => ({ model: models[k].path, fisher: fishers[k].path, weight: i.weight ?? 1 }))),
    };
    await writeWeightFolder(
      staged.temp,
      infos.map((t) => ({ name: t.name, dtype: dtypeOf(t), shape: t.shape })),
      opts.shardSize ?? 5e9,
      metadata,
      (spec, i) => {
        if (opts.signal?.aborted) throw new CancelledError();
        const t = infos[i];
        let bytes: Uint8Array;
        if (!isFloatDtype(t.dtype)) {
          bytes = new Uint8Array(t.byteLength);
          readTensorBytes(t, 0, t.numel, bytes);
        } else {
          const merged = new Float32Array(t.numel);
          fisherKernel.run(
            {
              name: t.name,
              shape: t.shape,
              numel: t.numel,
              models: models.map((m) => new StoredTensorStream(m.tensors.get(t.name)!)),
              fisher: fishers.map((f) => new StoredTensorStream(f.tensors.get(t.name)!)),
              modelParams,
              global: {},
              seed: 0,
              offset: 0,
            },
            { write: (start, src, count) => merged.set(src.subarray(0, count), start) },
            {
              backend,
              chunk,
              checkpoint: () => {
                if (opts.signal?.aborted) throw new CancelledError();
              },
              warn: () => {},
            },
          );
          const dtype = spec.dtype as FloatDtype;
          bytes = new Uint8Array(t.numel * DTYPE_SIZE[dtype]);
          backend.encode(dtype, merged, bytes, t.numel);
        }
        opts.onProgress?.({ type: 'tensor', name: t.name, done: i + 1, total: infos.length });
        return bytes;
      },
    );
    const dtypes = infos.filter((t) => isFloatDtype(t.dtype)).map((t) => dtypeOf(t) as FloatDtype);
    await writeConfig(staged.temp, outputConfig(first.config, { dtype: opts.dtype ?? dtypes[0] }));
    await copyTokenizerFiles(first.folder, staged.temp);
    await commitOutput(staged);
  } catch (err) {
    await discardOutput(staged);
    throw err;
  }
  return { out: dest, tensors: infos.length };
}

