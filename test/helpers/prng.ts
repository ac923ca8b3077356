/**
 * A small deterministic PRNG for test data (mulberry32): same seed, same numbers, on every machine.
 *
 *   const rng = makeRng(42);
 *   rng.uniform();   // [0, 1)
 *   rng.normal();    // standard normal (Box–Muller)
 *   rng.floats(100, 0.08);  // Float32Array of 100 values, 0.08 · N(0, 1)
 */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** n values scale · N(0, 1) + shift, rounded to float32. */
  floats(n: number, scale?: number, shift?: number): Float32Array;
}

export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - uniform(); // (0, 1]: log is finite
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const floats = (n: number, scale = 1, shift = 0): Float32Array => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = shift + scale * normal();
    return out;
  };
  return { uniform, normal, floats };
}
