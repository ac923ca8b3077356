/**
 * A base model with a LoRA adapter applied, as a checkpoint the planner, the merge run and the
 * probe read like any other: the tensors the adapter changes are computed once (W + ΔW in float32,
 * rounded once to the base tensor's dtype) and written to one overlay .safetensors file in
 * `workDir`; every other tensor still points into the base model's own files. Disk and memory cost
 * are those of the adapted tensors only.
 */
import { randomBytes } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { TsBackend } from '../backend/ts-backend.js';
import { openCheckpoint } from '../io/checkpoint.js';
import { DTYPE_SIZE, isFloatDtype, type FloatDtype } from '../io/dtype.js';
import { readSafetensorsHeader } from '../io/read-safetensors-header.js';
import { InputError, type CheckpointInfo, type TensorInfo } from '../io/types.js';
import { CancelledError } from '../executor/cancel.js';
import { readTensorF32 } from '../probe/stream/read-tensor-f32.js';
import { planAdapter, type LoraPair } from './adapter-tensors.js';
import { applyLoraUpdate } from './lora-delta.js';
import { openLoraAdapter, type LoraAdapter } from './open-adapter.js';
import { writeTensorFile } from './write-tensor-files.js';

export interface LoraProgress {
  type: 'lora';
  /** Adapted or replaced tensors written so far, of total. */
  done: number;
  total: number;
  tensor: string;
}

export interface LoraApplyOptions {
  /** Folder for the overlay file (it must exist; the caller removes it when done). */
  workDir: string;
  /** Dtype of the adapted tensors; default: each base tensor's own dtype. */
  dtype?: FloatDtype;
  signal?: AbortSignal;
  onProgress?: (e: LoraProgress) => void;
}

export interface LoraCheckpoint {
  checkpoint: CheckpointInfo;
  /** The overlay file written (delete it, or its folder, when the checkpoint is no longer used). */
  overlayFile: string;
  /** Base tensor names changed by the adapter. */
  changed: string[];
}

const backend = new TsBackend();

function encode(values: Float32Array, dtype: FloatDtype): Uint8Array {
  const out = new Uint8Array(values.length * DTYPE_SIZE[dtype]);
  backend.encode(dtype, values, out, values.length);
  return out;
}

function baseF32(base: CheckpointInfo, name: string): { info: TensorInfo; values: Float32Array } {
  const info = base.tensors.get(name)!;
  if (!isFloatDtype(info.dtype)) throw new InputError(`${info.file}: tensor ${JSON.stringify(name)} has dtype ${info.dtype}; LoRA adapts float tensors only`, info.file, name);
  return { info, values: readTensorF32(info) };
}

function adaptedValues(base: CheckpointInfo, p: LoraPair): Float32Array {
  const { values } = baseF32(base, p.target);
  return applyLoraUpdate(values, { a: readTensorF32(p.a), b: readTensorF32(p.b), rank: p.rank, scale: p.scale, transposed: p.transposed });
}

/** The base model with the adapter applied; see the file comment. Throws InputError naming the adapter file and tensor. */
export async function applyLoraToCheckpoint(base: CheckpointInfo, adapter: LoraAdapter, opts: LoraApplyOptions): Promise<LoraCheckpoint> {
  const plan = planAdapter(adapter.weights, adapter.config, base);
  const jobs = [
    ...plan.pairs.map((p) => ({ target: p.target, make: () => adaptedValues(base, p) })),
    ...plan.replacements.map((r) => ({ target: r.target, make: () => readTensorF32(r.source) })),
  ];
  const dtypeOf = (name: string): FloatDtype => {
    const d = base.tensors.get(name)!.dtype;
    return opts.dtype ?? (isFloatDtype(d) ? d : 'F32');
  };
  const specs = jobs.map((j) => ({ name: j.target, dtype: dtypeOf(j.target), shape: base.tensors.get(j.target)!.shape }));
  const overlayFile = join(opts.workDir, `lora-${basename(adapter.folder).replace(/[^\w.-]/g, '_')}-${randomBytes(4).toString('hex')}.safetensors`);
  const metadata = { crucible_lora_base: base.path, crucible_lora_adapter: adapter.folder };
  await writeTensorFile(overlayFile, specs, metadata, (spec, i) => {
    if (opts.signal?.aborted) throw new CancelledError();
    const bytes = encode(jobs[i].make(), spec.dtype as FloatDtype);
    opts.onProgress?.({ type: 'lora', done: i + 1, total: jobs.length, tensor: spec.name });
    return bytes;
  });

  const header = await readSafetensorsHeader(overlayFile);
  const tensors = new Map(base.tensors);
  for (const t of header.tensors.values()) tensors.set(t.name, t);
  return {
    checkpoint: {
      ...base,
      path: `${base.path}+${adapter.folder}`,
      files: [...base.files, header.info],
      tensors,
    },
    overlayFile,
    changed: specs.map((s) => s.name),
  };
}

/** Opens base model and adapter by path and applies the adapter (see applyLoraToCheckpoint). */
export async function openLoraModel(basePath: string, adapterPath: string, opts: LoraApplyOptions): Promise<LoraCheckpoint> {
  const base = await openCheckpoint(resolve(basePath));
  return applyLoraToCheckpoint(base, await openLoraAdapter(resolve(adapterPath)), opts);
}
