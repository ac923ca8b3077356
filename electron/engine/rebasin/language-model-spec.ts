/**
 * Permutation specs of the language models the probe runs (spec §4, Git Re-Basin): per layer the
 * MLP units and the attention heads (whole KV groups with their query heads, query heads within
 * their group; head-internal dimensions never move, as RoPE acts inside a head), and one residual
 * stream permutation shared by every tensor that reads or writes it.
 */
import type { Gpt2Spec, LanguageModelSpec, LlamaSpec } from '../probe/arch/language-model-spec.js';
import type { AxisRef, PermGroup, PermutationSpec } from './permutation-spec.js';

type Shapes = ReadonlyMap<string, readonly number[]>;

class SpecBuilder {
  readonly groups: PermGroup[] = [];
  readonly refs: AxisRef[] = [];
  private readonly covered = new Map<string, readonly number[]>();

  constructor(private readonly shapes: Shapes) {}

  ref(tensor: string | undefined, axis: number, perm: string, units: number, blockSize = 1, offset = 0): void {
    if (tensor === undefined) return;
    const shape = this.shapes.get(tensor);
    if (!shape) throw new Error(`permutation spec: the model has no tensor ${tensor}`);
    this.covered.set(tensor, shape);
    this.refs.push({ tensor, axis, offset, blockSize, units, perm });
  }

  spec(): PermutationSpec {
    return { groups: this.groups, refs: this.refs, shapes: this.covered };
  }
}

export const RESIDUAL = 'residual';

function llamaPermutationSpec(s: LlamaSpec, shapes: Shapes): PermutationSpec {
  const b = new SpecBuilder(shapes);
  const H = s.hidden;
  const D = s.headDim;
  b.groups.push({ kind: 'units', id: RESIDUAL, perm: RESIDUAL, size: H });
  b.ref(s.embed, 1, RESIDUAL, H);
  for (let l = 0; l < s.layers; l++) {
    const n = s.layer(l);
    const heads = `layer.${l}.heads`;
    const kv = `layer.${l}.kv_heads`;
    const mlp = `layer.${l}.mlp`;
    b.groups.push({ kind: 'heads', id: `layer.${l}.attention`, qPerm: heads, kvPerm: kv, heads: s.heads, kvHeads: s.kvHeads });
    b.groups.push({ kind: 'units', id: mlp, perm: mlp, size: s.intermediate });
    for (const t of [n.inputNorm, n.postNorm, n.oBias, n.downBias]) b.ref(t, 0, RESIDUAL, H);
    for (const t of [n.q, n.k, n.v, n.gate, n.up]) b.ref(t, 1, RESIDUAL, H);
    for (const t of [n.o, n.down]) b.ref(t, 0, RESIDUAL, H);
    b.ref(n.q, 0, heads, s.heads, D);
    b.ref(n.qBias, 0, heads, s.heads, D);
    b.ref(n.o, 1, heads, s.heads, D);
    for (const t of [n.k, n.v, n.kBias, n.vBias]) b.ref(t, 0, kv, s.kvHeads, D);
    for (const t of [n.gate, n.up, n.gateBias, n.upBias]) b.ref(t, 0, mlp, s.intermediate);
    b.ref(n.down, 1, mlp, s.intermediate);
  }
  b.ref(s.finalNorm, 0, RESIDUAL, H);
  if (!s.tied) b.ref(s.head, 1, RESIDUAL, H);
  return b.spec();
}

function gpt2PermutationSpec(s: Gpt2Spec, shapes: Shapes): PermutationSpec {
  const b = new SpecBuilder(shapes);
  const H = s.hidden;
  const D = s.headDim;
  b.groups.push({ kind: 'units', id: RESIDUAL, perm: RESIDUAL, size: H });
  b.ref(s.wte, 1, RESIDUAL, H);
  b.ref(s.wpe, 1, RESIDUAL, H);
  for (let l = 0; l < s.layers; l++) {
    const n = s.layer(l);
    const heads = `layer.${l}.heads`;
    const kv = `layer.${l}.kv_heads`;
    const mlp = `layer.${l}.mlp`;
    b.groups.push({ kind: 'heads', id: `layer.${l}.attention`, qPerm: heads, kvPerm: kv, heads: s.heads, kvHeads: s.heads });
    b.groups.push({ kind: 'units', id: mlp, perm: mlp, size: s.inner });
    // Conv1D weights are [in, out].
    for (const t of [n.ln1w, n.ln1b, n.ln2w, n.ln2b, n.projB, n.fcProjB]) b.ref(t, 0, RESIDUAL, H);
    for (const t of [n.attnW, n.fcW]) b.ref(t, 0, RESIDUAL, H);
    for (const t of [n.projW, n.fcProjW]) b.ref(t, 1, RESIDUAL, H);
    b.ref(n.attnW, 1, heads, s.heads, D, 0);
    b.ref(n.attnB, 0, heads, s.heads, D, 0);
    for (const offset of [H, 2 * H]) {
      b.ref(n.attnW, 1, kv, s.heads, D, offset);
      b.ref(n.attnB, 0, kv, s.heads, D, offset);
    }
    b.ref(n.projW, 0, heads, s.heads, D);
    b.ref(n.fcW, 1, mlp, s.inner);
    b.ref(n.fcB, 0, mlp, s.inner);
    b.ref(n.fcProjW, 0, mlp, s.inner);
  }
  b.ref(s.lnfW, 0, RESIDUAL, H);
  b.ref(s.lnfB, 0, RESIDUAL, H);
  if (!s.tied) b.ref(s.head, 1, RESIDUAL, H);
  return b.spec();
}

export function languageModelPermutationSpec(spec: LanguageModelSpec, shapes: Shapes): PermutationSpec {
  return spec.kind === 'llama' ? llamaPermutationSpec(spec, shapes) : gpt2PermutationSpec(spec, shapes);
}
