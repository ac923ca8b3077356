/**
 * What the Align node and `crucible align` show per permutation group: the matching objective Σ⟨A, B⟩ over the tensors
 * the group permutes, before alignment (B as given) and after (B as written, permuted), and how many
 * of its units moved. Reads A, B and the aligned folder one tensor at a time (float64 sums).
 */
import type { AlignGroup } from '../../../common/contract/tasks.js';
import type { CheckpointInfo } from '../io/types.js';
import { alignmentSpec } from './align-checkpoint.js';
import { readTensorF32 } from '../probe/stream/read-tensor-f32.js';

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function moved(perm: readonly number[] | undefined): number {
  return perm ? perm.reduce((n, p, i) => n + (p === i ? 0 : 1), 0) : 0;
}

export function alignGroups(A: CheckpointInfo, B: CheckpointInfo, aligned: CheckpointInfo, permutations: Readonly<Record<string, number[]>>): AlignGroup[] {
  const spec = alignmentSpec(A, B);
  const before = new Map<string, number>();
  const after = new Map<string, number>();
  const tensorDots = (name: string): void => {
    if (before.has(name)) return;
    const a = readTensorF32(A.tensors.get(name)!);
    before.set(name, dot(a, readTensorF32(B.tensors.get(name)!)));
    const p = aligned.tensors.get(name);
    after.set(name, p ? dot(a, readTensorF32(p)) : Number.NaN);
  };
  return spec.groups.map((g) => {
    const keys = g.kind === 'units' ? [g.perm] : [g.qPerm, g.kvPerm];
    const tensors = [...new Set(spec.refs.filter((r) => keys.includes(r.perm)).map((r) => r.tensor))];
    for (const t of tensors) tensorDots(t);
    const sum = (m: Map<string, number>) => tensors.reduce((s, t) => s + (m.get(t) ?? 0), 0);
    const base = { id: g.id, before: sum(before), after: sum(after) };
    if (g.kind === 'units') return { ...base, kind: 'units' as const, units: g.size, moved: moved(permutations[g.perm]) };
    return { ...base, kind: 'heads' as const, units: g.heads, moved: moved(permutations[g.qPerm]), kvUnits: g.kvHeads, kvMoved: moved(permutations[g.kvPerm]) };
  });
}
