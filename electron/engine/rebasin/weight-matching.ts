/**
 * Git Re-Basin weight matching (Ainsworth et al.; spec §4): permutations of B's units that
 * maximise Σ_tensors ⟨A, P·B·P'ᵀ⟩, by coordinate descent over the permutation groups in a seeded
 * random order, each step an exact linear assignment; a group's permutation is replaced only when
 * the new one scores strictly higher, and the sweeps stop when no group changes (or after
 * maxSweeps). An attention group is solved exactly too: for every pair of KV heads (g of A, g' of
 * B) the best matching of their query heads is an assignment problem, and those values plus the
 * KV heads' own scores make the outer assignment of KV heads.
 */
import { CancelledError } from '../executor/cancel.js';
import { assignmentValue, maximizeAssignment } from './linear-assignment.js';
import { checkSpec, identityPermutations, type AxisRef, type HeadsGroup, type PermGroup, type PermutationSpec, type Permutations } from './permutation-spec.js';
import { permuteTensor } from './permute-tensor.js';
import { seededUniform, shuffled } from './seeded-shuffle.js';
import { permutationScore, type GramProduct, type WeightSet } from './similarity.js';

export interface AlignProgress {
  type: 'align';
  /** 1-based sweep. */
  sweep: number;
  group: string;
  /** Steps done in this sweep, of groups. */
  step: number;
  groups: number;
  changed: boolean;
}

export interface WeightMatchingOptions {
  /** Seed of the group order (default 0). */
  seed?: number;
  /** Default 100. */
  maxSweeps?: number;
  signal?: AbortSignal;
  onProgress?: (e: AlignProgress) => void;
  /** The score matrices' product (default: the float64 TypeScript loop; align-checkpoint passes WebAssembly's). */
  gram?: GramProduct;
}

export interface WeightMatchingResult {
  perms: Permutations;
  sweeps: number;
  /** True when the last sweep changed no group. */
  converged: boolean;
  /** Σ ⟨A, B⟩ before and Σ ⟨A, P(B)⟩ after, over the tensors of the spec (float64). */
  initialObjective: number;
  objective: number;
}

function groupBy(refs: readonly AxisRef[], key: (r: AxisRef) => string): Map<string, AxisRef[]> {
  const m = new Map<string, AxisRef[]>();
  for (const r of refs) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}

function improves(next: number, current: number): boolean {
  return next > current + 1e-12 * Math.max(1, Math.abs(current));
}

/** Σ over the spec's tensors of ⟨A, B permuted by perms⟩. */
export function matchingObjective(spec: PermutationSpec, a: WeightSet, b: WeightSet, perms: Permutations): number {
  const byTensor = groupBy(spec.refs, (r) => r.tensor);
  let total = 0;
  for (const [name, shape] of spec.shapes) {
    const xa = a.get(name)!;
    const xb = permuteTensor(b.get(name)!, shape, byTensor.get(name) ?? [], perms);
    for (let i = 0; i < xa.length; i++) total += xa[i] * xb[i];
  }
  return total;
}

export async function weightMatching(spec: PermutationSpec, a: WeightSet, b: WeightSet, opts: WeightMatchingOptions = {}): Promise<WeightMatchingResult> {
  checkSpec(spec);
  const perms = identityPermutations(spec);
  const byPerm = groupBy(spec.refs, (r) => r.perm);
  const byTensor = groupBy(spec.refs, (r) => r.tensor);
  const score = (perm: string, n: number) => permutationScore(perm, n, byPerm.get(perm) ?? [], byTensor, spec.shapes, a, b, perms, opts.gram);

  const solveUnits = async (perm: string, n: number): Promise<boolean> => {
    const s = await score(perm, n);
    const next = maximizeAssignment(s, n);
    if (!improves(assignmentValue(s, n, next), assignmentValue(s, n, perms.get(perm)!))) return false;
    perms.set(perm, next);
    return true;
  };

  const solveHeads = async (g: HeadsGroup): Promise<boolean> => {
    const { heads, kvHeads } = g;
    const G = heads / kvHeads;
    const qs = await score(g.qPerm, heads);
    const kvs = await score(g.kvPerm, kvHeads);
    const outer = new Float64Array(kvHeads * kvHeads);
    const inner: Int32Array[] = new Array(kvHeads * kvHeads);
    const sub = new Float64Array(G * G);
    for (let x = 0; x < kvHeads; x++) {
      for (let y = 0; y < kvHeads; y++) {
        for (let j = 0; j < G; j++) for (let k = 0; k < G; k++) sub[j * G + k] = qs[(x * G + j) * heads + y * G + k];
        const tau = maximizeAssignment(sub, G);
        inner[x * kvHeads + y] = tau;
        outer[x * kvHeads + y] = kvs[x * kvHeads + y] + assignmentValue(sub, G, tau);
      }
    }
    const sigma = maximizeAssignment(outer, kvHeads);
    const current = assignmentValue(kvs, kvHeads, perms.get(g.kvPerm)!) + assignmentValue(qs, heads, perms.get(g.qPerm)!);
    if (!improves(assignmentValue(outer, kvHeads, sigma), current)) return false;
    const q = new Int32Array(heads);
    for (let x = 0; x < kvHeads; x++) {
      const tau = inner[x * kvHeads + sigma[x]];
      for (let j = 0; j < G; j++) q[x * G + j] = sigma[x] * G + tau[j];
    }
    perms.set(g.kvPerm, sigma).set(g.qPerm, q);
    return true;
  };

  const solve = (g: PermGroup): Promise<boolean> => (g.kind === 'units' ? solveUnits(g.perm, g.size) : solveHeads(g));

  const initialObjective = matchingObjective(spec, a, b, perms);
  const uniform = seededUniform(opts.seed ?? 0);
  const maxSweeps = opts.maxSweeps ?? 100;
  let sweeps = 0;
  let converged = false;
  while (sweeps < maxSweeps && !converged) {
    sweeps++;
    let anyChanged = false;
    const order = shuffled(spec.groups, uniform);
    for (const [i, g] of order.entries()) {
      if (opts.signal?.aborted) throw new CancelledError();
      const changed = await solve(g);
      anyChanged ||= changed;
      opts.onProgress?.({ type: 'align', sweep: sweeps, group: g.id, step: i + 1, groups: order.length, changed });
    }
    converged = !anyChanged;
  }
  return { perms, sweeps, converged, initialObjective, objective: matchingObjective(spec, a, b, perms) };
}
