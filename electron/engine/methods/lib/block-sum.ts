/**
 * Float64 reductions with the spec's block convention (backend/types.ts: blocks of BLOCK elements
 * of the whole vector, summed in order) over a vector pushed in pieces of any length. Whole
 * blocks go straight to the Backend; a block split across pieces is staged first. The result is
 * bit-identical to one Backend reduction over the whole vector, whatever the pieces.
 */
import { BLOCK, type Backend } from '../../backend/types.js';

/** 'abs': Σ|x| (an L1 norm); 'square': Σx² (a squared L2 norm). */
export type BlockSumKind = 'abs' | 'square';

export class BlockSum {
  private total = 0;
  private staged = 0;

  constructor(
    private readonly backend: Backend,
    private readonly kind: BlockSumKind,
    /** A scratch buffer of at least BLOCK float32s. */
    private readonly stage: Float32Array,
  ) {}

  push(x: Float32Array, n: number): void {
    let i = 0;
    if (this.staged > 0) {
      i = Math.min(BLOCK - this.staged, n);
      this.stage.set(x.subarray(0, i), this.staged);
      this.staged += i;
      if (this.staged < BLOCK) return;
      this.total = this.reduce(this.stage, BLOCK);
      this.staged = 0;
    }
    const whole = Math.floor((n - i) / BLOCK) * BLOCK;
    if (whole > 0) this.total = this.reduce(i === 0 ? x : x.subarray(i), whole);
    i += whole;
    if (i < n) {
      this.stage.set(x.subarray(i, n), 0);
      this.staged = n - i;
    }
  }

  /** The sum of everything pushed (the pending partial block included). */
  finish(): number {
    if (this.staged > 0) {
      this.total = this.reduce(this.stage, this.staged);
      this.staged = 0;
    }
    return this.total;
  }

  private reduce(x: Float32Array, n: number): number {
    return this.kind === 'abs'
      ? this.backend.absSumBlocks(x, n, this.total)
      : this.backend.dotBlocks(x, x, n, this.total);
  }
}
