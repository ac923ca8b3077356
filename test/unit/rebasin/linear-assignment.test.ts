/** The assignment solver and the attention-group solve against brute force on small cases. */
import { describe, expect, it } from 'vitest';
import { assignmentValue, maximizeAssignment } from '../../../electron/engine/rebasin/linear-assignment.js';
import type { PermutationSpec } from '../../../electron/engine/rebasin/permutation-spec.js';
import { matchingObjective, weightMatching } from '../../../electron/engine/rebasin/weight-matching.js';
import { makeRng } from '../../helpers/prng.js';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

function bruteForceMax(score: Float64Array, n: number): number {
  let best = -Infinity;
  for (const p of permutations(n)) best = Math.max(best, assignmentValue(score, n, Int32Array.from(p)));
  return best;
}

describe('maximizeAssignment', () => {
  const rng = makeRng(11);
  for (let n = 1; n <= 7; n++) {
    it(`finds the brute-force optimum for ${n}×${n} (real, negative and tied scores)`, () => {
      for (let trial = 0; trial < 20; trial++) {
        const tied = trial % 2 === 1;
        const s = Float64Array.from({ length: n * n }, () => (tied ? Math.floor(rng.uniform() * 3) - 1 : rng.normal() * 5));
        const p = maximizeAssignment(s, n);
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(assignmentValue(s, n, p)).toBeCloseTo(bruteForceMax(s, n), 9);
      }
    });
  }
});

describe('attention heads: KV groups with their query heads, query heads within their group', () => {
  // One layer's q [heads·D, 3], k and v [kv·D, 3], o [3, heads·D]; only the head group moves.
  function headsSpec(heads: number, kv: number, D: number): PermutationSpec {
    const shapes = new Map<string, number[]>([
      ['q', [heads * D, 3]],
      ['k', [kv * D, 3]],
      ['v', [kv * D, 3]],
      ['o', [3, heads * D]],
    ]);
    return {
      groups: [{ kind: 'heads', id: 'attn', qPerm: 'h', kvPerm: 'kv', heads, kvHeads: kv }],
      refs: [
        { tensor: 'q', axis: 0, offset: 0, blockSize: D, units: heads, perm: 'h' },
        { tensor: 'o', axis: 1, offset: 0, blockSize: D, units: heads, perm: 'h' },
        { tensor: 'k', axis: 0, offset: 0, blockSize: D, units: kv, perm: 'kv' },
        { tensor: 'v', axis: 0, offset: 0, blockSize: D, units: kv, perm: 'kv' },
      ],
      shapes,
    };
  }

  /** Every permutation that keeps query heads with their KV head: σ over KV heads, τ_g within each group. */
  function validPerms(heads: number, kv: number): { q: Int32Array; kv: Int32Array }[] {
    const G = heads / kv;
    const out: { q: Int32Array; kv: Int32Array }[] = [];
    const taus = permutations(G);
    const rec = (sigma: number[], g: number, q: number[]) => {
      if (g === kv) {
        out.push({ q: Int32Array.from(q), kv: Int32Array.from(sigma) });
        return;
      }
      for (const tau of taus) rec(sigma, g + 1, [...q, ...tau.map((t) => sigma[g] * G + t)]);
    };
    for (const sigma of permutations(kv)) rec(sigma, 0, []);
    return out;
  }

  for (const [heads, kv] of [
    [4, 2],
    [6, 2],
    [4, 4],
    [6, 3],
  ]) {
    it(`${heads} query heads, ${kv} KV heads: one step reaches the brute-force optimum`, async () => {
      const rng = makeRng(heads * 10 + kv);
      const spec = headsSpec(heads, kv, 2);
      const candidates = validPerms(heads, kv);
      for (let trial = 0; trial < 5; trial++) {
        const tensors = () => new Map([...spec.shapes].map(([n, s]) => [n, rng.floats(s[0] * s[1])]));
        const A = tensors();
        const B = tensors();
        const res = await weightMatching(spec, A, B, { seed: trial });
        const q = res.perms.get('h')!;
        const k = res.perms.get('kv')!;
        const G = heads / kv;
        for (let h = 0; h < heads; h++) expect(Math.floor(q[h] / G)).toBe(k[Math.floor(h / G)]);
        let best = -Infinity;
        for (const c of candidates) best = Math.max(best, matchingObjective(spec, A, B, new Map([['h', c.q], ['kv', c.kv]])));
        expect(res.objective).toBeCloseTo(best, 9);
        expect(res.sweeps).toBeLessThanOrEqual(2);
      }
    });
  }
});
