/**
 * The `l1` rescale rule (spec §2, mergekit's): after another sparsifier, multiply the survivors by
 * ‖δ‖₁ / ‖δ⊙m‖₁, both float64 block-sum reductions over the whole tensor taken in one extra
 * statistics pass (after the inner sparsifier's own passes); no rescale when either is < 1e-7.
 */
import { BLOCK } from '../../backend/types.js';
import { BlockSum } from '../lib/block-sum.js';
import type { View } from '../lib/scratch.js';
import type { Sparsifier, SparsifyContext } from './sparsifier.js';

export const L1_EPS = 1e-7;

export class L1Rescale implements Sparsifier {
  private phase: 'inner' | 'norms' | 'ready';
  private before: BlockSum | undefined;
  private after: BlockSum | undefined;
  private readonly stages: [View<Float32Array>, View<Float32Array>];
  /** float64 ratio, or undefined for no rescale. */
  factor: number | undefined;

  constructor(
    private readonly inner: Sparsifier,
    private readonly ctx: SparsifyContext,
  ) {
    this.phase = inner.wantsPass() ? 'inner' : 'norms';
    this.stages = [ctx.scratch.f32(BLOCK), ctx.scratch.f32(BLOCK)];
  }

  wantsPass(): boolean {
    return this.phase !== 'ready';
  }

  beginPass(): void {
    if (this.phase === 'inner') {
      this.inner.beginPass();
      return;
    }
    this.inner.beginApply();
    this.before = new BlockSum(this.ctx.backend, 'abs', this.stages[0]());
    this.after = new BlockSum(this.ctx.backend, 'abs', this.stages[1]());
  }

  observe(delta: Float32Array, start: number, len: number): void {
    if (this.phase === 'inner') {
      this.inner.observe(delta, start, len);
      return;
    }
    this.before!.push(delta, len);
    this.inner.apply(delta, start, len);
    this.after!.push(delta, len);
  }

  endPass(): void {
    if (this.phase === 'inner') {
      this.inner.endPass();
      if (!this.inner.wantsPass()) this.phase = 'norms';
      return;
    }
    const before = this.before!.finish();
    const after = this.after!.finish();
    this.factor = before < L1_EPS || after < L1_EPS ? undefined : before / after;
    this.phase = 'ready';
  }

  beginApply(): void {
    this.inner.beginApply();
  }

  apply(delta: Float32Array, start: number, len: number): void {
    this.inner.apply(delta, start, len);
    if (this.factor !== undefined) this.ctx.backend.scale(delta, this.factor, len);
  }
}
