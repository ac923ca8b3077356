/**
 * Steps 3–6 of spec §2 on one unit of sparsified task vectors: WD_i = w_i·δ_i; with consensus the
 * sign election and disjoint sum (Backend.consensusMix), else the plain sum in model order; optional
 * normalize; output = b + λ·mixed. Every step is a float32 operation in the formula's order.
 */
import type { Backend } from '../../backend/types.js';
import type { Consensus } from './settings.js';

export interface Combiner {
  /** Adds model i's sparsified δ (models in order 0..n−1). May overwrite delta. */
  add(i: number, delta: Float32Array, len: number): void;
  /** Turns b (the base's unit) into the output unit. */
  finish(b: Float32Array, len: number): void;
}

/** Without consensus: mixed = Σ w_i·δ_i; normalize multiplies by float32(1/Σw) (a per-tensor scalar). */
export class SumCombiner implements Combiner {
  private readonly invSum: number;

  constructor(
    private readonly backend: Backend,
    private readonly weights: readonly number[],
    private readonly normalize: boolean,
    private readonly lambda: number,
    private readonly mixed: Float32Array,
  ) {
    this.invSum = 1 / weights.reduce((s, w) => s + w, 0);
  }

  add(i: number, delta: Float32Array, len: number): void {
    if (i === 0) this.backend.scaleTo(this.mixed, this.weights[0], delta, len);
    else this.backend.axpy(this.mixed, this.weights[i], delta, len);
  }

  finish(b: Float32Array, len: number): void {
    if (this.normalize) this.backend.scale(this.mixed, this.invSum, len);
    this.backend.axpy(b, this.lambda, this.mixed, len);
  }
}

/** With consensus: sign election over WD_i, disjoint sum, and elementwise division by Σ mask_i·w_i. */
export class ConsensusCombiner implements Combiner {
  private readonly deltas: Float32Array[];

  constructor(
    private readonly backend: Backend,
    private readonly weights: readonly number[],
    private readonly consensus: Consensus,
    private readonly normalize: boolean,
    private readonly lambda: number,
    private readonly mixed: Float32Array,
    private readonly div: Float32Array,
  ) {
    this.deltas = weights.map(() => mixed);
  }

  add(i: number, delta: Float32Array): void {
    this.deltas[i] = delta;
  }

  /** WD_i = w_i·δ_i, the election, the disjoint sum, normalize and b + λ·mixed: one Backend.consensusMix. */
  finish(b: Float32Array, len: number): void {
    this.backend.consensusMix(this.deltas, this.weights as number[], len, this.consensus, this.normalize, this.lambda, b, this.mixed, this.div);
  }
}
