/** The MethodKernel of each task-vector method: settings, validation, splittability and the streamed run. */
import type { MethodKernel, ParamProblem, ValidationInput } from '../kernel.js';
import { isElementwise } from './elementwise.js';
import { FAMILY, type TaskVectorMethodId } from './family.js';
import { taskVectorStatistics } from './pipeline.js';
import { runAsOneRange, type RangeStatistics } from '../kernel.js';
import { parseSettings } from './settings.js';

export function validateTaskVector(id: TaskVectorMethodId, input: ValidationInput): ParamProblem[] {
  const { problems } = parseSettings(id, FAMILY[id], input.modelParams, input.global, input.numel);
  if (!input.hasBase) problems.unshift({ param: 'base_model', message: `${id} needs a base model` });
  return problems;
}

export function taskVectorKernel(id: TaskVectorMethodId): MethodKernel {
  const statistics = taskVectorStatistics(id);
  return {
    id,
    splittable: (global, modelParams) => isElementwise(id, global, modelParams),
    statistics: statistics as RangeStatistics,
    validate: (input) => validateTaskVector(id, input),
    run: (task, out, env) => runAsOneRange(statistics, task, out, env),
  };
}
