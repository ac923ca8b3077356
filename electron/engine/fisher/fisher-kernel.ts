/**
 * Fisher merging (spec §4, Matena & Raffel): out = Σ_i w_i (F_i + ε) x_i / Σ_i w_i (F_i + ε)
 * elementwise, ε = 1e-8, F_i the diagonal Fisher of model i (task.fisher[i]). Float32 steps in the
 * order written, each rounded (spec §0): a = F + ε, c = w·a, num += c·x, den += c, out = num / den.
 */
import type { ResolvedParams } from '../../../common/methods/types.js';
import { forEachChunk, num, type MethodKernel, type ParamProblem, type ValidationInput } from '../methods/kernel.js';

/** The Fisher floor: equal or vanishing Fisher gives the weighted mean, continuously. */
export const FISHER_EPSILON = 1e-8;

const fr = Math.fround;

/** Degenerate weights (spec §0): negative, or all 0 (the denominator would vanish). */
export function fisherWeightProblems(modelParams: readonly ResolvedParams[]): ParamProblem[] {
  const problems: ParamProblem[] = [];
  let sum = 0;
  modelParams.forEach((p, i) => {
    const w = num(p, 'weight');
    sum += w;
    if (!(w >= 0)) problems.push({ param: 'weight', model: i, message: `Fisher merging needs weights ≥ 0 (got ${w})` });
  });
  if (problems.length === 0 && !(sum > 0)) problems.push({ param: 'weight', message: 'the weights are all 0: Fisher merging divides by their Fisher-weighted sum' });
  return problems;
}

export const fisherKernel: MethodKernel = {
  id: 'fisher',
  splittable: () => true,

  /** The Fisher inputs themselves (ModelSpec.fisher) are checked by the planner, which pairs each model with its file. */
  validate(input: ValidationInput): ParamProblem[] {
    return fisherWeightProblems(input.modelParams);
  },

  run(task, out, env) {
    const n = task.models.length;
    const fisher = task.fisher;
    if (!fisher || fisher.length !== n) {
      throw new Error(`tensor ${task.name}: Fisher merging needs one Fisher tensor per model (${n} models, ${fisher?.length ?? 0} Fisher tensors)`);
    }
    const be = env.backend;
    const w = task.modelParams.map((p) => fr(num(p, 'weight')));
    const eps = fr(FISHER_EPSILON);
    const numer = be.f32(0, env.chunk);
    const denom = be.f32(1, env.chunk);
    const x = be.f32(2, env.chunk);
    const f = be.f32(3, env.chunk);
    forEachChunk(task.numel, env, (start, len) => {
      for (let i = 0; i < n; i++) {
        task.models[i].read(start, len, x);
        fisher[i].read(start, len, f);
        const wi = w[i];
        for (let k = 0; k < len; k++) {
          const c = fr(wi * fr(f[k] + eps));
          const term = fr(c * x[k]);
          if (i === 0) {
            numer[k] = term;
            denom[k] = c;
          } else {
            numer[k] = fr(numer[k] + term);
            denom[k] = fr(denom[k] + c);
          }
        }
      }
      for (let k = 0; k < len; k++) numer[k] = fr(numer[k] / denom[k]);
      out.write(start, numer, len);
    });
  },
};
