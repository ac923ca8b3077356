/**
 * The vectors an interpolation method works on: each stream's tensor as it is, or its task vector
 * x − b when a base is given (computed in float32, one rounding per element, spec §0).
 */
import type { Backend } from '../../backend/types.js';
import type { TensorStream } from '../kernel.js';

export interface VectorSet {
  /** One vector per stream, in model order. */
  streams: readonly TensorStream[];
  /**
   * When set, vector k is streams[k] − base, and a combination of the vectors gets the base added
   * back at the end ("slerp the task vectors and add the base back").
   */
  base?: TensorStream;
}

/**
 * Reads elements [start, start + len) of every vector of the set into vecs[k] (and the base into
 * baseBuf when the set has one). Streams whose `needed` flag is false are not read.
 */
export function readVectors(
  set: VectorSet,
  start: number,
  len: number,
  vecs: readonly Float32Array[],
  baseBuf: Float32Array,
  be: Backend,
  needed?: readonly boolean[],
): void {
  if (set.base) set.base.read(start, len, baseBuf);
  for (let k = 0; k < set.streams.length; k++) {
    if (needed && !needed[k]) continue;
    set.streams[k].read(start, len, vecs[k]);
    if (set.base) be.sub(vecs[k], baseBuf, vecs[k], len);
  }
}
