/**
 * A sparsifier turns one model's task vector δ_i into its sparsified (and rescaled) form, streamed:
 * it may first need statistics passes over δ_i (histograms, norms), then it is applied unit by
 * unit in increasing flat order. The pipeline runs the passes of all models in the same sweeps.
 */
import type { Backend } from '../../backend/types.js';
import type { MaskSource } from '../kernel.js';
import type { MagnitudeOrder } from '../lib/magnitude-order.js';
import type { Scratch, View } from '../lib/scratch.js';

export interface Sparsifier {
  /** True while another statistics pass over δ is needed before apply. */
  wantsPass(): boolean;
  beginPass(): void;
  /** Sees δ for local elements [start, start + len), in order; may overwrite the buffer. */
  observe(delta: Float32Array, start: number, len: number): void;
  endPass(): void;
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
  /** The RNG's model index: position in task.models. */
  modelIndex: number;
  maskSource?: MaskSource;
  /** Shared 0/1 scratch of one unit (sparsifiers are applied one at a time). */
  keep: View<Uint8Array>;
  /** Row structure for per-row sparsifiers (DELLA): row length and the shared row sorter. */
  rows?: { length: number; order: MagnitudeOrder };
}

/** Density 1 (or no sparsifier): δ unchanged. */
export const IDENTITY: Sparsifier = {
  wantsPass: () => false,
  beginPass: () => {},
  observe: () => {},
  endPass: () => {},
  beginApply: () => {},
  apply: () => {},
};
