/** A seeded shuffle (mulberry32 + Fisher–Yates): the group order of weight matching, reproducible from the seed. */

export type Uniform = () => number;

/** Uniform numbers in [0, 1) from a 32-bit seed (mulberry32: small, fast, and good enough for an ordering). */
export function seededUniform(seed: number): Uniform {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy of items. */
export function shuffled<T>(items: readonly T[], uniform: Uniform): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
