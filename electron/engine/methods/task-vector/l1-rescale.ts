/**
 * The `l1` rescale rule (spec §2, mergekit's): after another sparsifier, multiply the survivors by
 * ‖δ‖₁ / ‖δ⊙m‖₁, both float64 block-sum reductions over the whole tensor taken in one extra
 * statistics pass (after the inner sparsifier's own passes); no rescale when either is < 1e-7.
 * With DARE's hash mask, whole blocks take both sums in one pass without masking δ (RandomDrop.sumKept).
 * DELLA's decisions, which take a sort per row, are made once: the norms pass keeps them
 * (kept-decisions.ts) when the state says so, and the output pass applies them.
 * A range's pass returns its block sums in order; sparsifier-stats.ts adds every range's in
 * block order, so the ratio never depends on how the tensor was split.
 */
import { BLOCK } from '../../backend/types.js';
import { BLOCK_SUM_SCRATCH, BlockSum } from '../lib/block-sum.js';
import type { View } from '../lib/scratch.js';
import { DellaDrop } from './della-drop.js';
import { applyDecisions, packDecisions, packedBytes } from './kept-decisions.js';
import { RandomDrop } from './random-drop.js';
import { samplesOnly, type L1Partial, type L1State } from './sparsifier-stats.js';
import type { Sparsifier, SparsifyContext } from './sparsifier.js';

export class L1Rescale implements Sparsifier {
  private before: BlockSum | undefined;
  private after: BlockSum | undefined;
  private readonly stages: [View<Float32Array>, View<Float32Array>];

  constructor(
    private readonly inner: Sparsifier,
    private readonly state: L1State,
    private readonly ctx: SparsifyContext,
  ) {
    this.stages = [ctx.scratch.f32(BLOCK_SUM_SCRATCH), ctx.scratch.f32(BLOCK_SUM_SCRATCH)];
    this.drop = inner instanceof RandomDrop ? inner : undefined;
    this.hashDrop = this.drop?.canSumKept() ? this.drop : undefined;
    this.della = inner instanceof DellaDrop && state.keepsDecisions === true ? inner : undefined;
  }

  /** The inner DELLA drop whose decisions the norms pass keeps. */
  private readonly della: DellaDrop | undefined;
  /** This range's packed decisions, written by the norms pass (shared with the other threads once returned). */
  private decisions: Uint8Array | undefined;

  /** The inner sparsifier when it is DARE's drop, which takes the rescale in its own pass (RandomDrop.applyScaled). */
  private readonly drop: RandomDrop | undefined;

  /** The inner DARE drop when its statistics can skip masking δ (RandomDrop.sumKept). */
  private readonly hashDrop: RandomDrop | undefined;

  wantsPass(): boolean {
    return this.state.phase !== 'ready';
  }

  samplesOnly(): boolean {
    return samplesOnly(this.state);
  }

  beginPass(): void {
    if (this.state.phase === 'inner') {
      this.inner.beginPass();
      return;
    }
    this.inner.beginApply();
    this.before = new BlockSum(this.ctx.backend, 'abs', this.stages[0]());
    this.after = new BlockSum(this.ctx.backend, 'abs', this.stages[1]());
    if (this.della) this.decisions = new Uint8Array(new SharedArrayBuffer(packedBytes(this.ctx.numel, this.ctx.unit)));
  }

  observe(delta: Float32Array, start: number, len: number): void {
    if (this.state.phase === 'inner') {
      this.inner.observe(delta, start, len);
      return;
    }
    if (this.hashDrop) {
      this.hashDrop.sumKept(delta, start, len, this.before!, this.after!);
      return;
    }
    this.before!.push(delta, len);
    if (this.della) {
      const decisions = this.ctx.keep();
      this.della.applyRecording(delta, start, len, decisions);
      packDecisions(this.decisions!, this.ctx.unit, start, decisions, len);
    } else this.inner.apply(delta, start, len);
    this.after!.push(delta, len);
  }

  endPass(): L1Partial {
    if (this.state.phase === 'inner') return { inner: this.inner.endPass() };
    return { before: this.before!.blocks(), after: this.after!.blocks(), ...(this.decisions ? { decisions: this.decisions } : {}) };
  }

  beginApply(): void {
    this.inner.beginApply();
  }

  apply(delta: Float32Array, start: number, len: number): void {
    const factor = this.state.phase === 'ready' && this.state.factor !== null ? this.state.factor : undefined;
    if (this.drop) {
      this.drop.applyScaled(delta, start, len, factor);
      return;
    }
    const kept = this.state.phase === 'ready' ? this.state.decisions?.[this.ctx.range] : undefined;
    if (kept) applyDecisions(kept, this.ctx.unit, start, delta, len);
    else this.inner.apply(delta, start, len);
    if (factor !== undefined) this.ctx.backend.scale(delta, factor, len);
  }
}
