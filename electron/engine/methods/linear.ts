/** linear (model soup), spec §3: Σ w_i·x_i, divided by Σ w_i when normalize. */
import type { MethodKernel, ValidationInput, ParamProblem } from './kernel.js';
import { bool, forEachChunk, num } from './kernel.js';

export const linear: MethodKernel = {
  id: 'linear',
  splittable: () => true,

  validate({ modelParams, global }: ValidationInput): ParamProblem[] {
    if (!bool(global, 'normalize')) return [];
    const sum = modelParams.reduce((s, p) => s + num(p, 'weight'), 0);
    return Math.abs(sum) < 1e-8
      ? [{ param: 'weight', message: `the weights sum to ${sum}, and normalize divides by their sum` }]
      : [];
  },

  run(task, out, env) {
    const be = env.backend;
    const weights = task.modelParams.map((p) => num(p, 'weight'));
    const sum = weights.reduce((s, w) => s + w, 0);
    // Coefficients are float64 scalars rounded once (spec §0): one model with any weight is returned exactly.
    const coef = bool(task.global, 'normalize') ? weights.map((w) => w / sum) : weights;
    const acc = be.f32(0, env.chunk);
    const x = be.f32(1, env.chunk);
    forEachChunk(task.numel, env, (start, len) => {
      task.models[0].read(start, len, x);
      be.scaleTo(acc, coef[0], x, len);
      for (let i = 1; i < task.models.length; i++) {
        task.models[i].read(start, len, x);
        be.axpy(acc, coef[i], x, len);
      }
      out.write(start, acc, len);
    });
  },
};
