/** Test helper: central finite differences in float64, compared with an analytic gradient. */
import { expect } from 'vitest';

/**
 * For every element of every array in `params`: (f(θ + h) − f(θ − h)) / 2h against grads[i][k],
 * within atol + rtol·|fd|. `f` reads the arrays (mutated in place and restored).
 */
export function expectGradients(f: () => number, params: Float64Array[], grads: ArrayLike<number>[], label: string, h = 1e-5, atol = 1e-7, rtol = 1e-5): void {
  let checked = 0;
  params.forEach((p, i) => {
    for (let k = 0; k < p.length; k++) {
      const orig = p[k];
      p[k] = orig + h;
      const up = f();
      p[k] = orig - h;
      const down = f();
      p[k] = orig;
      const fd = (up - down) / (2 * h);
      const got = grads[i][k];
      if (!(Math.abs(got - fd) <= atol + rtol * Math.abs(fd))) {
        expect.fail(`${label}: input ${i} element ${k}: analytic ${got}, finite difference ${fd}`);
      }
      checked++;
    }
  });
  expect(checked).toBeGreaterThan(0);
}

export function randomF64(n: number, rng: { normal(): number }, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => scale * rng.normal());
}

export function dotF64(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
