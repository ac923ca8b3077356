/**
 * Float64 reductions with the spec's block convention (backend/types.ts: blocks of BLOCK elements
 * of the whole vector, summed in order) over a vector pushed in pieces of any length. Each block's
 * own sum is kept, in order: the total is those sums added in order (sumInOrder), bit-identical to
 * one Backend reduction over the whole vector, whatever the pieces. Keeping the block sums lets a
 * vector reduced as several ranges (each starting on a block boundary, e.g. on different threads)
 * give the very same total: the ranges' lists, concatenated in range order, are the whole list.
 */
import { BLOCK, type Backend } from '../../backend/types.js';

/** Whole blocks reduced per Backend.absSumEachBlock call (and at most what `batch` holds). */
export const BATCH = 64;
/** Float32s of scratch a BlockSum needs: a staged partial block, then BATCH float64 block sums. */
export const BLOCK_SUM_SCRATCH = BLOCK + 2 * BATCH;

/** 'abs': Σ|x| (an L1 norm); 'square': Σx² (a squared L2 norm). */
export type BlockSumKind = 'abs' | 'square';

/** The lists' block sums added in order into a running float64 total from 0 (the Backend's convention). */
export function sumInOrder(lists: readonly ArrayLike<number>[]): number {
  let total = 0;
  for (const list of lists) for (let i = 0; i < list.length; i++) total += list[i];
  return total;
}

export class BlockSum {
  private sums: number[] = [];
  private staged = 0;

  constructor(
    private readonly backend: Backend,
    private readonly kind: BlockSumKind,
    /** A scratch buffer of at least BLOCK_SUM_SCRATCH float32s (from the backend, 8-byte aligned). */
    private readonly stage: Float32Array,
  ) {
    if (stage.length < BLOCK_SUM_SCRATCH) throw new RangeError(`BlockSum needs ${BLOCK_SUM_SCRATCH} float32s of scratch`);
    this.batch = new Float64Array(stage.buffer, stage.byteOffset + BLOCK * 4, BATCH);
  }

  /**
   * Room for BATCH float64 block sums in the backend's memory: a kernel that reduces whole blocks
   * itself (Backend.keptAbsSumEachBlock) writes them here, and pushBatch appends them.
   */
  readonly batch: Float64Array;

  /** True when no partial block is staged: the next element pushed starts a block. */
  get aligned(): boolean {
    return this.staged === 0;
  }

  /** Appends batch[0..count) as the sums of the next count whole blocks (only when aligned). */
  pushBatch(count: number): void {
    if (this.staged !== 0) throw new Error('BlockSum.pushBatch: a partial block is staged');
    for (let j = 0; j < count; j++) this.sums.push(this.batch[j]);
  }

  push(x: Float32Array, n: number): void {
    let i = 0;
    if (this.staged > 0) {
      i = Math.min(BLOCK - this.staged, n);
      this.stage.set(x.subarray(0, i), this.staged);
      this.staged += i;
      if (this.staged < BLOCK) return;
      this.sums.push(this.reduce(this.stage, BLOCK));
      this.staged = 0;
    }
    if (this.kind === 'abs') {
      // Whole blocks BATCH at a time: one call sums several blocks side by side (same bits per block).
      for (let blocks = Math.floor((n - i) / BLOCK); blocks > 0; blocks = Math.floor((n - i) / BLOCK)) {
        const take = Math.min(BATCH, blocks);
        this.backend.absSumEachBlock(i === 0 ? x : x.subarray(i), take, this.batch);
        this.pushBatch(take);
        i += take * BLOCK;
      }
    }
    for (; i + BLOCK <= n; i += BLOCK) this.sums.push(this.reduce(i === 0 ? x : x.subarray(i), BLOCK));
    if (i < n) {
      this.stage.set(x.subarray(i, n), 0);
      this.staged = n - i;
    }
  }

  /** Every block's sum, in order (the pending partial block included, as the last). */
  blocks(): Float64Array {
    if (this.staged > 0) {
      this.sums.push(this.reduce(this.stage, this.staged));
      this.staged = 0;
    }
    return Float64Array.from(this.sums);
  }

  /** The sum of everything pushed (the pending partial block included). */
  finish(): number {
    return sumInOrder([this.blocks()]);
  }

  /** One block's sum (0 + s = s exactly: sums of |x| and x² are never −0). */
  private reduce(x: Float32Array, n: number): number {
    return this.kind === 'abs' ? this.backend.absSumBlocks(x, n, 0) : this.backend.dotBlocks(x, x, n, 0);
  }
}
