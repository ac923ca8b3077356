/**
 * nearswap (spec §3): base a, other b, global t. Elementwise w = clamp(t / max(|a − b|, 1e-6), 0, 1),
 * out = w·b + (1 − w)·a, float32 with a rounding after every operation, in that order.
 * Hand-written loop: no Backend primitive fits, and a kernel-side loop with Math.fround writes the
 * same bits on every backend. Purely elementwise, so the executor may split it.
 */
import type { MethodKernel, ParamProblem, ValidationInput } from '../kernel.js';
import { forEachChunk, num } from '../kernel.js';
import { copyInput } from './copy-input.js';
import { assertAtMostModels, baseProblems, modelCountProblems, requireBase } from './input-checks.js';

const fr = Math.fround;
const DISTANCE_FLOOR = fr(1e-6);
const A_SLOT = 0;
const B_SLOT = 1;
const OUT_SLOT = 2;

/** out[i] = nearswap of a[i] (base) and b[i] (other) with threshold t (a float32 value). */
export function nearswapInto(a: Float32Array, b: Float32Array, out: Float32Array, n: number, t: number): void {
  for (let i = 0; i < n; i++) {
    const distance = Math.max(Math.abs(fr(a[i] - b[i])), DISTANCE_FLOOR);
    const w = Math.min(Math.max(fr(t / distance), 0), 1);
    out[i] = fr(w * b[i]) + fr(fr(1 - w) * a[i]);
  }
}

export const nearswap: MethodKernel = {
  id: 'nearswap',
  splittable: () => true,

  validate({ modelParams, hasBase }: ValidationInput): ParamProblem[] {
    return [...baseProblems('nearswap', hasBase), ...modelCountProblems('nearswap', modelParams.length, 0, 1)];
  },

  run(task, out, env) {
    const base = requireBase(task, 'nearswap');
    assertAtMostModels(task, 'nearswap', 1);
    if (task.models.length === 0) return copyInput(base, task.numel, out, env);
    const other = task.models[0];
    const t = fr(num(task.global, 't'));
    const be = env.backend;
    const a = be.f32(A_SLOT, env.chunk);
    const b = be.f32(B_SLOT, env.chunk);
    const res = be.f32(OUT_SLOT, env.chunk);
    forEachChunk(task.numel, env, (start, len) => {
      base.read(start, len, a);
      other.read(start, len, b);
      nearswapInto(a, b, res, len, t);
      out.write(start, res, len);
    });
  },
};
