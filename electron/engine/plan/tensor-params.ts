/**
 * Complete parameters for one output tensor (spec §1): each per-model parameter from the model's
 * own entry, the slice, the top level, else the method's default, matched against the input
 * model's tensor name; each global one from the slice, the top level, else the default, matched
 * against the output name. Every value is checked against the registry's type and range.
 */
import type { MethodDescriptor, ParamDescriptor, ParamSpecMap, ResolvedParams } from '../../../common/methods/types.js';
import { resolveFirst } from '../recipe/resolve-param.js';
import { checkParamValue } from './param-value-check.js';
import type { SourceTensor } from './output-tensors.js';
import type { ProblemList } from './problem-list.js';

export interface TensorParamInput {
  method: MethodDescriptor;
  globalParams?: ParamSpecMap;
  sliceParams?: ParamSpecMap;
  outputName: string;
  t: number;
  /** The non-base inputs that have the tensor, in order. */
  models: readonly SourceTensor[];
}

export interface TensorParams {
  modelParams: ResolvedParams[];
  global: ResolvedParams;
  /** False when some value is missing or out of range (reported to `problems`). */
  ok: boolean;
}

export function resolveTensorParams(input: TensorParamInput, problems: ProblemList): TensorParams {
  const { method, globalParams, sliceParams, outputName, t } = input;
  let ok = true;
  const take = (desc: ParamDescriptor, levels: (ParamSpecMap | undefined)[], tensor: string, into: ResolvedParams, model?: string) => {
    const value = resolveFirst(levels.map((l) => l?.[desc.name]), tensor, t) ?? desc.default;
    const who = model === undefined ? '' : `model '${model}': `;
    if (value === undefined) {
      ok = false;
      problems.add(
        { message: `${who}required parameter '${desc.name}' has no value for tensor '${tensor}'`, model, tensor, param: desc.name },
        `missing|${model}|${desc.name}`,
      );
      return;
    }
    const checked = checkParamValue(desc, value);
    if (!checked.ok) {
      ok = false;
      problems.add(
        { message: `${who}parameter '${desc.name}' ${checked.reason} (tensor '${tensor}')`, model, tensor, param: desc.name },
        `range|${model}|${desc.name}|${checked.reason}`,
      );
      return;
    }
    into[desc.name] = checked.value;
  };

  const modelParams = input.models.map(({ source, inputName }) => {
    const p: ResolvedParams = {};
    for (const desc of method.params) {
      if (desc.scope === 'model') take(desc, [source.parameters, sliceParams, globalParams], inputName, p, source.key);
    }
    return p;
  });
  const global: ResolvedParams = {};
  for (const desc of method.params) if (desc.scope === 'global') take(desc, [sliceParams, globalParams], outputName, global);
  return { modelParams, global, ok };
}
