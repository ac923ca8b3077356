/**
 * DARE's random sparsifier (spec §2 `random`): keep each entry with probability d by the spec's
 * counter-based hash of its flat index (so masks never depend on chunking or range splitting);
 * with the `inverse` rule the survivors are multiplied by 1/d (float64, rounded to float32 once).
 */
import { keepThreshold, randomKey } from '../../backend/float-bits.js';
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
    const j0 = this.ctx.offset + start;
    if (this.ctx.maskSource) {
      const keep = this.ctx.keep();
      this.ctx.maskSource(this.ctx.modelIndex, j0, len, keep);
      applyKeep(delta, keep, len);
    } else if (this.threshold === 0) {
      delta.fill(0, 0, len);
    } else {
      this.ctx.backend.randomMask(delta, len, j0 >>> 0, this.key, this.threshold);
    }
    if (this.inverse) this.ctx.backend.scale(delta, 1 / this.density, len);
  }
}
