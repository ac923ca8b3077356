/**
 * How the Gram-based interpolation methods stream: slerp, nuslerp, multislerp, karcher and
 * model_stock.
 *
 * Each of their outputs is a linear combination of the input vectors (and the base) whose
 * coefficients depend only on the inputs' Gram matrix (all pairwise dot products): slerp's sin
 * ratios from one cosine, multislerp's tangent-space mean, model_stock's ratio from the mean
 * pairwise cosine, and karcher's iterate u, which stays in the span of the u_i and is carried as
 * coefficients, iterated on the Gram matrix alone. So, per vector (the whole flattened tensor, or
 * one row of it):
 *   1. one pass accumulates the Gram matrix (float64 block sums, Backend.dotBlocks);
 *   2. the method turns it into float64 coefficients, each rounded to float32 once (spec §0);
 *   3. one elementwise pass writes out = [b +] Σ c_k·v_k (float32, model order; combine-terms.ts).
 * No vector is ever held whole. Rows that fit in a chunk are read in groups of whole rows, once for
 * both steps. A longer vector (a flattened tensor, a row longer than a chunk) is streamed twice in
 * chunk-sized pieces that start on 4096-element block boundaries of the row, which gives the same
 * Gram bits as one in-memory pass: any chunk size writes the same bits.
 */
import type { KernelEnv, TensorSink } from '../kernel.js';
import { combineInto, nonZeroTerms } from './combine-terms.js';
import { accumulateGram, zeroGram, type Gram } from './gram.js';
import { readVectors, type VectorSet } from './vector-set.js';

export interface PerVectorMerge {
  /** The vectors whose Gram matrix decides the coefficients. */
  gramSet: VectorSet;
  /** The vectors combined into the output (often the same object as gramSet). */
  combineSet: VectorSet;
  /**
   * float64 coefficients, one per vector of combineSet, for vector number `vector` (a row index, or
   * 0 for a flattened tensor). May throw a KernelError for a data-dependent degeneracy.
   */
  coefficients(gram: Gram, vector: number): number[];
}

/** Float32 scratch slots used here: 0 accumulator, 1 base, 2.. one per vector. */
const ACC_SLOT = 0;
const BASE_SLOT = 1;
const FIRST_VECTOR_SLOT = 2;

/**
 * Merges a tensor of numel elements viewed as numel / rowLength contiguous rows, each row an
 * independent vector. rowLength = numel treats the tensor as one flattened vector.
 */
export function mergeRowWise(plan: PerVectorMerge, rowLength: number, numel: number, out: TensorSink, env: KernelEnv): void {
  if (numel === 0) return;
  if (!(rowLength > 0) || numel % rowLength !== 0) {
    throw new Error(`row length ${rowLength} does not divide the tensor's ${numel} elements`);
  }
  const be = env.backend;
  const kg = plan.gramSet.streams.length;
  const kc = plan.combineSet.streams.length;
  const acc = be.f32(ACC_SLOT, env.chunk);
  const baseBuf = be.f32(BASE_SLOT, env.chunk);
  // The combine set reuses the Gram set's buffers: a row group's Gram is complete before it is read.
  const vecs = Array.from({ length: Math.max(kg, kc) }, (_, k) => be.f32(FIRST_VECTOR_SLOT + k, env.chunk));
  const gramVecs = vecs.slice(0, kg);
  const combineVecs = vecs.slice(0, kc);
  const rowCount = numel / rowLength;

  if (rowLength <= env.chunk) {
    const rowsPerGroup = Math.floor(env.chunk / rowLength);
    const shared = plan.gramSet === plan.combineSet;
    for (let r0 = 0; r0 < rowCount; r0 += rowsPerGroup) {
      env.checkpoint();
      const rows = Math.min(rowsPerGroup, rowCount - r0);
      const start = r0 * rowLength;
      const len = rows * rowLength;
      readVectors(plan.gramSet, start, len, gramVecs, baseBuf, be);
      const coefs: number[][] = [];
      for (let r = 0; r < rows; r++) {
        const off = r * rowLength;
        const g = zeroGram(kg);
        accumulateGram(g, gramVecs.map((v) => v.subarray(off, off + rowLength)), rowLength, be);
        coefs.push(plan.coefficients(g, r0 + r));
      }
      if (!shared) readVectors(plan.combineSet, start, len, combineVecs, baseBuf, be);
      const withBase = plan.combineSet.base !== undefined;
      for (let r = 0; r < rows; r++) {
        const off = r * rowLength;
        combineInto(
          acc.subarray(off, off + rowLength),
          combineVecs.map((v) => v.subarray(off, off + rowLength)),
          coefs[r],
          withBase ? baseBuf.subarray(off, off + rowLength) : undefined,
          rowLength,
          be,
        );
      }
      out.write(start, acc, len);
    }
    return;
  }

  for (let r = 0; r < rowCount; r++) {
    const rowStart = r * rowLength;
    const g = zeroGram(kg);
    for (let p = 0; p < rowLength; p += env.chunk) {
      env.checkpoint();
      const len = Math.min(env.chunk, rowLength - p);
      readVectors(plan.gramSet, rowStart + p, len, gramVecs, baseBuf, be);
      accumulateGram(g, gramVecs, len, be);
    }
    const coefs = plan.coefficients(g, r);
    const needed = nonZeroTerms(coefs);
    for (let p = 0; p < rowLength; p += env.chunk) {
      env.checkpoint();
      const len = Math.min(env.chunk, rowLength - p);
      readVectors(plan.combineSet, rowStart + p, len, combineVecs, baseBuf, be, needed);
      combineInto(acc, combineVecs, coefs, plan.combineSet.base ? baseBuf : undefined, len, be);
      out.write(rowStart + p, acc, len);
    }
  }
}
