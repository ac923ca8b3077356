/**
 * nearswap (spec §3): base a, other b, global t. Elementwise w = clamp(t / max(|a − b|, 1e-6), 0, 1),
 * out = w·b + (1 − w)·a, float32 with a rounding after every operation, in that order.
 * nearswapInto is the reference; a backend with the optional nearswap primitive (WebAssembly SIMD,
 * about 20× faster) writes its bits for finite inputs and leaves the rare non-finite elements to it.
 * Purely elementwise, so the executor may split it.
 */
import type { Backend } from '../../backend/types.js';
import type { MethodKernel, ParamProblem, ValidationInput } from '../kernel.js';
import { forEachChunk, num } from '../kernel.js';
import { copyInput } from './copy-input.js';
import { assertAtMostModels, baseProblems, modelCountProblems, requireBase } from './input-checks.js';

const fr = Math.fround;
const DISTANCE_FLOOR = fr(1e-6);
const A_SLOT = 0;
const B_SLOT = 1;
const OUT_SLOT = 2;

/** nearswap of a (base) and b (other) with threshold t (a float32 value). */
function nearswapOne(a: number, b: number, t: number): number {
  const distance = Math.max(Math.abs(fr(a - b)), DISTANCE_FLOOR);
  const w = Math.min(Math.max(fr(t / distance), 0), 1);
  return fr(w * b) + fr(fr(1 - w) * a);
}

/** out[i] = nearswap of a[i] (base) and b[i] (other) with threshold t (a float32 value). */
export function nearswapInto(a: Float32Array, b: Float32Array, out: Float32Array, n: number, t: number): void {
  for (let i = 0; i < n; i++) out[i] = nearswapOne(a[i], b[i], t);
}

/** nearswapInto through the backend's primitive where it has one; the elements it skips by the reference. */
function nearswapChunk(be: Backend, a: Float32Array, b: Float32Array, out: Float32Array, n: number, t: number): void {
  if (!be.nearswap) return nearswapInto(a, b, out, n, t);
  if (be.nearswap(a, b, out, n, t, DISTANCE_FLOOR) === 0) return;
  for (let i = 0; i < n; i++) if (!(Number.isFinite(a[i]) && Number.isFinite(b[i]))) out[i] = nearswapOne(a[i], b[i], t);
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
      nearswapChunk(be, a, b, res, len, t);
      out.write(start, res, len);
    });
  },
};
