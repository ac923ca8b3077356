/** Weights read by name, and gradient buffers by tensor name, created zeroed on first use. */
import { zerosLike, type Vec } from '../grad/vec.js';

export interface WeightReader {
  get(name: string): Vec;
}

export class GradStore {
  readonly grads = new Map<string, Vec>();

  constructor(private readonly weights: WeightReader) {}

  /** The gradient buffer of `name` (same kind and length as the weight). */
  of(name: string): Vec {
    let g = this.grads.get(name);
    if (!g) {
      const w = this.weights.get(name);
      g = zerosLike(w, w.length);
      this.grads.set(name, g);
    }
    return g;
  }

  /** The buffer, or undefined for an absent optional tensor (a bias the model does not have). */
  opt(name: string | undefined): Vec | undefined {
    return name === undefined ? undefined : this.of(name);
  }
}

export function optWeight(w: WeightReader, name: string | undefined): Vec | undefined {
  return name === undefined ? undefined : w.get(name);
}
