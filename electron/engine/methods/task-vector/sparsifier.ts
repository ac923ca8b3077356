/**
 * A sparsifier turns one model's task vector δ_i into its sparsified (and rescaled) form, streamed
 * over one range of the tensor (the whole tensor, or one of the ranges the executor runs on
 * several threads). It is built from its whole-tensor statistics state (sparsifier-stats.ts):
 * while that state wants a pass, a sweep of observe() calls gathers this range's partial
 * statistics (endPass returns them as plain data, to be combined with the other ranges'); once it
 * is ready, apply() runs unit by unit in increasing flat order. The pipeline runs the passes of
 * all models in the same sweeps.
 */
import type { Backend } from '../../backend/types.js';
import type { MaskSource } from '../kernel.js';
import type { MagnitudeOrder } from '../lib/magnitude-order.js';
import type { Scratch, View } from '../lib/scratch.js';
import type { SparsifierPartial } from './sparsifier-stats.js';

export interface Sparsifier {
  /** True while the state wants another statistics pass over δ before apply. */
  wantsPass(): boolean;
  /** True when the pending pass needs only the sampled pieces of the range (lib/cut-window.ts samplePieces). */
  samplesOnly(): boolean;
  beginPass(): void;
  /** Sees δ for local elements [start, start + len), in order; may overwrite the buffer. */
  observe(delta: Float32Array, start: number, len: number): void;
  /** This range's statistics from the pass just swept (copies, never scratch views). */
  endPass(): SparsifierPartial;
  /** Resets the cursors of a sweep of apply() calls. */
  beginApply(): void;
  /** Sparsifies and rescales δ in place for local elements [start, start + len), in increasing order. */
  apply(delta: Float32Array, start: number, len: number): void;
}

/** Everything a sparsifier of one model needs from the run. */
export interface SparsifyContext {
  backend: Backend;
  scratch: Scratch;
  /** Elements in this task (a range of the tensor when offset > 0). */
  numel: number;
  /** The output tensor's name: the random keys hash it. */
  name: string;
  seed: number;
  /** Flat index of local element 0 in the whole tensor. */
  offset: number;
  /** Which of the tensor's ranges this task is (0 when it runs whole): cut tie budgets are per range. */
  range: number;
  /** The RNG's model index: position in task.models. */
  modelIndex: number;
  maskSource?: MaskSource;
  /** Elements per unit of the pipeline's sweeps (units start at multiples of it). */
  unit: number;
    /** Shared 0/1 scratch of one unit (sparsifiers are applied one at a time). */
  keep: View<Uint8Array>;
  /** Row structure for per-row sparsifiers (DELLA): row length and the shared row sorter. */
  rows?: { length: number; order: MagnitudeOrder };
}

/** A sparsifier with no statistics: every pass-related call is a programming error. */
export abstract class StatelessSparsifier implements Sparsifier {
  wantsPass(): boolean {
    return false;
  }
  samplesOnly(): boolean {
    return false;
  }
  beginPass(): void {
    throw new Error('this sparsifier gathers no statistics');
  }
  observe(): void {
    throw new Error('this sparsifier gathers no statistics');
  }
  endPass(): SparsifierPartial {
    throw new Error('this sparsifier gathers no statistics');
  }
  beginApply(): void {}
  abstract apply(delta: Float32Array, start: number, len: number): void;
}

/** Density 1 (or no sparsifier): δ unchanged. */
class Identity extends StatelessSparsifier {
  apply(): void {}
}

export const IDENTITY: Sparsifier = new Identity();
