/**
 * The output's tensors (name, dtype, shape) and provenance metadata, known before any tensor is
 * computed: so every shard's header is written first and workers write tensor data in place.
 */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { DTYPE_SIZE, isFloatDtype, type Dtype, type FloatDtype } from '../io/dtype.js';
import type { CheckpointInfo, TensorInfo } from '../io/types.js';
import type { MergePlan, SourceRef, TensorPlan } from '../plan/types.js';
import type { LoraParts } from './load-inputs.js';
import { recordedInputs } from './recorded-inputs.js';
import { crucibleVersion } from './version.js';
import type { StageRecord } from '../provenance/stage-record.js';

export interface OutputTensor {
  plan: TensorPlan;
  name: string;
  dtype: Dtype;
  shape: number[];
  numel: number;
  byteLength: number;
}

export function sourceInfo(checkpoints: Map<string, CheckpointInfo>, ref: SourceRef): TensorInfo {
  const ck = checkpoints.get(ref.model);
  const info = ck?.tensors.get(ref.tensor);
  if (!ck || !info) throw new Error(`planned source ${ref.model}:${ref.tensor} is not among the inputs`);
  return info;
}

export function outputTensors(plan: MergePlan, checkpoints: Map<string, CheckpointInfo>): OutputTensor[] {
  return plan.tensors.map((t) => {
    const first = t.copyFrom ?? t.base ?? t.models[0];
    const src = sourceInfo(checkpoints, first);
    const shape = [...src.shape];
    if (t.rows !== undefined && shape.length > 0) shape[0] = t.rows;
    const numel = shape.reduce((a, b) => a * b, 1);
    const dtype: Dtype = t.copyFrom || !isFloatDtype(src.dtype) ? src.dtype : t.outDtype;
    return { plan: t, name: t.name, dtype, shape, numel, byteLength: numel * DTYPE_SIZE[dtype] };
  });
}

/** The float dtype most output tensors have (for config.json's torch_dtype). */
export function dominantFloatDtype(tensors: OutputTensor[]): FloatDtype | undefined {
  const bytes = new Map<FloatDtype, number>();
  for (const t of tensors) if (isFloatDtype(t.dtype)) bytes.set(t.dtype, (bytes.get(t.dtype) ?? 0) + t.numel);
  let best: FloatDtype | undefined;
  for (const [d, n] of bytes) if (best === undefined || n > bytes.get(best)!) best = d;
  return best;
}

export interface ProvenanceInput {
  recipe: MergeRecipe;
  plan: MergePlan;
  checkpoints: Map<string, CheckpointInfo>;
  /** The parts of `model+lora` inputs (recorded instead of their overlay). */
  loraParts?: ReadonlyMap<string, LoraParts>;
  seed: number;
  graph?: unknown;
  recipeYaml?: string;
  /** Full-content sha256 of input files by absolute path (crucible merge --full-hash). */
  fileSha256?: ReadonlyMap<string, string>;
  /** A chain's earlier stages, in run order. */
  stages?: readonly StageRecord[];
}

/** safetensors __metadata__ (string values only): Crucible's provenance under `crucible.` keys. */
export function provenanceMetadata(p: ProvenanceInput): Record<string, string> {
  const inputs = recordedInputs(p.plan, p.checkpoints, p.loraParts, p.fileSha256);
  const meta: Record<string, string> = {
    'crucible.version': crucibleVersion(),
    'crucible.recipe': JSON.stringify(p.recipe),
    'crucible.inputs': JSON.stringify(inputs),
    'crucible.seed': String(p.seed),
  };
  if (p.graph !== undefined) meta['crucible.graph'] = JSON.stringify(p.graph);
  if (p.recipeYaml !== undefined) meta['crucible.recipe_yaml'] = p.recipeYaml;
  if (p.stages?.length) meta['crucible.stages'] = JSON.stringify(p.stages);
  return meta;
}
