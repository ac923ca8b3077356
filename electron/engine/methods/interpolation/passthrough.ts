/**
 * passthrough (spec §3): one input per output tensor, multiplied by its per-model `scale` (default
 * 1: then a bit-exact copy). Frankenmerge assembly (slices, renumbered layers) is the planner's.
 */
import type { MethodKernel, ParamProblem, ValidationInput } from '../kernel.js';
import { forEachChunk, KernelError, num } from '../kernel.js';
import { modelCountProblems } from './input-checks.js';

const BUF_SLOT = 0;

export const passthrough: MethodKernel = {
  id: 'passthrough',
  splittable: () => true,

  validate({ modelParams }: ValidationInput): ParamProblem[] {
    return modelCountProblems('passthrough', modelParams.length, 1, 1);
  },

  run(task, out, env) {
    if (task.models.length !== 1) {
      throw new KernelError(`passthrough takes exactly one input per tensor; tensor ${task.name} has ${task.models.length}`, task.name);
    }
    const input = task.models[0];
    const scale = num(task.modelParams[0], 'scale');
    const be = env.backend;
    const buf = be.f32(BUF_SLOT, env.chunk);
    forEachChunk(task.numel, env, (start, len) => {
      input.read(start, len, buf);
      if (scale !== 1) be.scale(buf, scale, len);
      out.write(start, buf, len);
    });
  },
};
