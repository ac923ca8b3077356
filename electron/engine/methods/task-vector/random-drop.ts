/**
 * DARE's random sparsifier (spec §2 `random`): keep each entry with probability d by the spec's
 * counter-based hash of its flat index (so masks never depend on chunking or range splitting);
 * with the `inverse` rule the survivors are multiplied by 1/d (float64, rounded to float32 once).
 */
import { keepThreshold, randomKey } from '../../backend/float-bits.js';
import { BLOCK } from '../../backend/types.js';
import { BATCH, type BlockSum } from '../lib/block-sum.js';
import { applyKeep } from '../lib/keep-mask.js';
import { StatelessSparsifier, type SparsifyContext } from './sparsifier.js';

export class RandomDrop extends StatelessSparsifier {
  private readonly key: number;
  private readonly threshold: number;

  constructor(
    private readonly density: number,
    private readonly inverse: boolean,
    private readonly ctx: SparsifyContext,
  ) {
    super();
    this.key = randomKey(ctx.seed, ctx.name, ctx.modelIndex);
    this.threshold = keepThreshold(density);
  }

  apply(delta: Float32Array, start: number, len: number): void {
    this.applyScaled(delta, start, len, this.inverse ? 1 / this.density : undefined);
  }

  /**
   * apply(), then the survivors (all of δ) times `factor` when given: the mask and the rescale in
   * one Backend.randomMaskScale pass on the hash's mask. L1Rescale passes its factor here.
   */
  applyScaled(delta: Float32Array, start: number, len: number, factor: number | undefined): void {
    const j0 = this.ctx.offset + start;
    const be = this.ctx.backend;
    if (this.ctx.maskSource) {
      const keep = this.ctx.keep();
      this.ctx.maskSource(this.ctx.modelIndex, j0, len, keep);
      applyKeep(delta, keep, len);
    } else if (this.threshold === 0) {
      delta.fill(0, 0, len);
    } else if (factor !== undefined) {
      be.randomMaskScale(delta, len, j0 >>> 0, this.key, this.threshold, factor);
      return;
    } else {
      be.randomMask(delta, len, j0 >>> 0, this.key, this.threshold);
    }
    if (factor !== undefined) be.scale(delta, factor, len);
  }

  /**
   * Whether sumKept can stand for before.push, apply, after.push: the mask is the hash's (no
   * maskSource) and survivors are not rescaled by 1/d.
   */
  canSumKept(): boolean {
    return !this.ctx.maskSource && !this.inverse;
  }

  /**
   * The l1 rescale's statistics (l1-rescale.ts): pushes ‖δ‖₁'s block sums into `before` and
   * ‖δ⊙m‖₁'s into `after`, whole blocks in one pass of Backend.keptAbsSumEachBlock (δ unchanged);
   * a partial block, or blocks after one, take the staged path (push, apply, push; δ overwritten).
   */
  sumKept(delta: Float32Array, start: number, len: number, before: BlockSum, after: BlockSum): void {
    const j0 = this.ctx.offset + start;
    let i = 0;
    if (before.aligned && after.aligned) {
      for (let blocks = Math.floor(len / BLOCK); blocks > 0; blocks = Math.floor((len - i) / BLOCK)) {
        const take = Math.min(BATCH, blocks);
        const x = i === 0 ? delta : delta.subarray(i);
        this.ctx.backend.keptAbsSumEachBlock(x, take, (j0 + i) >>> 0, this.key, this.threshold, before.batch, after.batch);
        before.pushBatch(take);
        after.pushBatch(take);
        i += take * BLOCK;
      }
    }
    if (i === len) return;
    const rest = i === 0 ? delta : delta.subarray(i);
    before.push(rest, len - i);
    this.apply(rest, start + i, len - i);
    after.push(rest, len - i);
  }
}
