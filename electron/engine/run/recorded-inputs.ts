/**
 * What an output records of its inputs (`crucible.inputs`): each model's name as the recipe
 * writes it, its path and, per weight file, name, size and header hash (and the full-content hash
 * when asked). A `model+lora` input is recorded as its two parts, the base model and the adapter
 * (kind 'lora'), never as the overlay file the run wrote in a work folder and removed: so both can
 * be found again by header hash when an output is reopened or verified. A Fisher file (a model's
 * `fisher:`) is recorded with kind 'fisher', its reference as the recipe writes it.
 */
import type { CheckpointInfo, WeightFileInfo } from '../io/types.js';
import type { MergePlan } from '../plan/types.js';
import { splitLoraRef } from '../recipe/model-reference.js';
import type { LoraParts } from './load-inputs.js';
import type { RecordedInputKind } from '../provenance/stage-record.js';

export interface RecordedInputJson {
  model: string;
  /** Absent for checkpoints; 'lora' for a PEFT adapter (its adapter_model.safetensors is recorded); 'fisher' for a Fisher file. */
  kind?: RecordedInputKind;
  path: string;
  files: { name: string; size: number; headerSha256: string; sha256?: string }[];
}

function recordFiles(files: readonly WeightFileInfo[], fileSha256: ReadonlyMap<string, string> | undefined): RecordedInputJson['files'] {
  return files.map((f) => {
    const sha256 = fileSha256?.get(f.path);
    return { name: f.path.split(/[\\/]/).pop() ?? f.path, size: f.size, headerSha256: f.headerSha256, ...(sha256 === undefined ? {} : { sha256 }) };
  });
}

export function recordedInputs(
  plan: Pick<MergePlan, 'models'>,
  checkpoints: ReadonlyMap<string, CheckpointInfo>,
  loraParts: ReadonlyMap<string, LoraParts> = new Map(),
  fileSha256?: ReadonlyMap<string, string>,
): RecordedInputJson[] {
  const out: RecordedInputJson[] = [];
  const add = (input: RecordedInputJson): void => {
    if (!out.some((o) => o.model === input.model && o.kind === input.kind)) out.push(input);
  };
  for (const m of plan.models) {
    const parts = loraParts.get(m.key);
    const ref = splitLoraRef(m.key);
    if (parts && ref?.lora !== undefined) {
      add({ model: ref.model, path: parts.base.path, files: recordFiles(parts.base.files, fileSha256) });
      add({ model: ref.lora, kind: 'lora', path: parts.adapterPath, files: recordFiles(parts.adapter.weights.files, fileSha256) });
      continue;
    }
    add({ model: m.key, ...(m.role === 'fisher' ? { kind: 'fisher' as const } : {}), path: m.path, files: recordFiles(checkpoints.get(m.key)?.files ?? [], fileSha256) });
  }
  return out;
}

/** Every file whose full-content hash `--full-hash` records: the inputs' own files (a LoRA input's base and adapter, not its overlay). */
export function recordedFilePaths(checkpoints: ReadonlyMap<string, CheckpointInfo>, loraParts: ReadonlyMap<string, LoraParts> = new Map()): string[] {
  const paths: string[] = [];
  for (const [key, ck] of checkpoints) {
    const parts = loraParts.get(key);
    const files = parts ? [...parts.base.files, ...parts.adapter.weights.files] : ck.files;
    for (const f of files) if (!paths.includes(f.path)) paths.push(f.path);
  }
  return paths;
}
