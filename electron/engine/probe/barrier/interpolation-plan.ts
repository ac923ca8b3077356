/**
 * Merge plans of (1−λ)·A + λ·B over A's tensors: the linear kernel with weights (1−λ, λ) and no
 * normalisation; each tensor keeps A's dtype (spec §0's default output dtype).
 */
import { isFloatDtype } from '../../io/dtype.js';
import type { CheckpointInfo } from '../../io/types.js';
import { InputError } from '../../io/types.js';
import { layerIndexOf } from '../../io/layers.js';
import type { TensorPlan } from '../../plan/types.js';
import { architectureMismatch } from '../../../../common/recipe/architecture-match.js';

export const MODEL_A = 'A';
export const MODEL_B = 'B';

/** One template plan per tensor of A (weights filled in per λ by planAt). */
export function interpolationPlans(a: CheckpointInfo, b: CheckpointInfo): TensorPlan[] {
  const mismatch = architectureMismatch([
    { name: a.path, architecture: a.architecture, tensorNames: [...a.tensors.keys()] },
    { name: b.path, architecture: b.architecture, tensorNames: [...b.tensors.keys()] },
  ]);
  if (mismatch) throw new InputError(mismatch, b.path);
  // Every point of the line is one model: a tensor only one end has would make λ = 1 (or 0) not B (or A).
  for (const [one, other] of [[a, b], [b, a]] as const) {
    const lacking = [...one.tensors.keys()].find((n) => !other.tensors.has(n));
    if (lacking !== undefined) {
      throw new InputError(`${other.path} has no tensor ${JSON.stringify(lacking)}, which ${one.path} has: the two cannot be interpolated`, other.path, lacking);
    }
  }
  const plans: TensorPlan[] = [];
  for (const [name, ta] of a.tensors) {
    const tb = b.tensors.get(name)!;
    if (ta.shape.length !== tb.shape.length || ta.shape.some((d, i) => d !== tb.shape[i])) {
      throw new InputError(
        `tensor ${JSON.stringify(name)} has shape [${ta.shape.join(', ')}] in ${ta.file} and [${tb.shape.join(', ')}] in ${tb.file}; they cannot be interpolated`,
        ta.file,
        name,
      );
    }
    const ref = { model: MODEL_A, tensor: name };
    if (!isFloatDtype(ta.dtype) || !isFloatDtype(tb.dtype)) {
      plans.push({ name, method: 'linear', models: [ref], modelParams: [{ weight: 1 }], global: {}, layer: layerIndexOf(name), outDtype: 'F32', copyFrom: ref });
      continue;
    }
    plans.push({
      name,
      method: 'linear',
      models: [ref, { model: MODEL_B, tensor: name }],
      modelParams: [{ weight: 1 }, { weight: 0 }],
      global: { normalize: false, int8_mask: false },
      layer: layerIndexOf(name),
      outDtype: ta.dtype,
    });
  }
  return plans;
}

/** The template with weights (1−λ, λ). */
export function planAt(template: TensorPlan, lambda: number): TensorPlan {
  if (template.copyFrom) return template;
  return { ...template, modelParams: [{ weight: 1 - lambda }, { weight: lambda }] };
}
