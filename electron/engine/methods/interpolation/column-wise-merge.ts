/**
 * The Gram-based merge of row-wise-merge.ts for vectors along dim 0 (nuslerp_row_wise): a tensor
 * [d0, ...] is viewed as a [d0, S] matrix (S = numel / d0) whose column j is one vector (elements
 * j, j + S, j + 2S, ...).
 *
 * Pass 1 reads whole rows (or, when a row is wider than the statistics window, row segments) and
 * accumulates every column's dot products. Columns are strided, so Backend.dotBlocks cannot be
 * used; the loop here follows its summation order exactly (blocks of 4096 elements of the column,
 * four float64 lanes by index mod 4, block sum (l0 + l1) + (l2 + l3) added in order), so a column
 * gives the same bits as the same numbers laid out as a row. Pass 2 writes the output in order,
 * row by row, with one float32 coefficient per (vector, column): that coefficient table (K·S
 * float32) is this mode's per-row state.
 */
import type { KernelEnv, TensorSink } from '../kernel.js';
import { zeroGram } from './gram.js';
import type { PerVectorMerge } from './row-wise-merge.js';
import { readVectors } from './vector-set.js';

/** Columns whose running sums are held at once: 15 float64 per column for two vectors. */
const MAX_STATS_COLUMNS = 65536;
const BLOCK_MASK = 4095;

const ACC_SLOT = 0;
const BASE_SLOT = 1;
const FIRST_VECTOR_SLOT = 2;

export function mergeColumnWise(plan: PerVectorMerge, length: number, numel: number, out: TensorSink, env: KernelEnv): void {
  if (numel === 0) return;
  if (!(length > 0) || numel % length !== 0) throw new Error(`dim 0 of size ${length} does not divide the tensor's ${numel} elements`);
  const be = env.backend;
  const stride = numel / length;
  const kg = plan.gramSet.streams.length;
  const kc = plan.combineSet.streams.length;
  const acc = be.f32(ACC_SLOT, env.chunk);
  const baseBuf = be.f32(BASE_SLOT, env.chunk);
  const vecs = Array.from({ length: Math.max(kg, kc) }, (_, k) => be.f32(FIRST_VECTOR_SLOT + k, env.chunk));
  const gramVecs = vecs.slice(0, kg);
  const combineVecs = vecs.slice(0, kc);

  const pairs: [number, number][] = [];
  for (let a = 0; a < kg; a++) for (let b = a; b < kg; b++) pairs.push([a, b]);
  const coefTable = new Float32Array(kc * stride);

  // Pass 1: per-column Gram matrices, a window of columns at a time.
  const window = Math.min(stride, env.chunk, MAX_STATS_COLUMNS);
  for (let j0 = 0; j0 < stride; j0 += window) {
    const w = Math.min(window, stride - j0);
    const lanes = new Float64Array(pairs.length * w * 4);
    const totals = new Float64Array(pairs.length * w);
    const accumulateRow = (i: number, off: number): void => {
      const lane = i & 3;
      for (let p = 0; p < pairs.length; p++) {
        const x = gramVecs[pairs[p][0]];
        const y = gramVecs[pairs[p][1]];
        const at = p * w;
        for (let c = 0; c < w; c++) lanes[(at + c) * 4 + lane] += x[off + c] * y[off + c];
      }
      if ((i & BLOCK_MASK) === BLOCK_MASK || i === length - 1) {
        for (let s = 0; s < totals.length; s++) {
          const l = s * 4;
          totals[s] += lanes[l] + lanes[l + 1] + (lanes[l + 2] + lanes[l + 3]);
          lanes[l] = lanes[l + 1] = lanes[l + 2] = lanes[l + 3] = 0;
        }
      }
    };
    if (w === stride) {
      const rowsPerRead = Math.floor(env.chunk / stride);
      for (let i0 = 0; i0 < length; i0 += rowsPerRead) {
        env.checkpoint();
        const rows = Math.min(rowsPerRead, length - i0);
        readVectors(plan.gramSet, i0 * stride, rows * stride, gramVecs, baseBuf, be);
        for (let r = 0; r < rows; r++) accumulateRow(i0 + r, r * stride);
      }
    } else {
      for (let i = 0; i < length; i++) {
        env.checkpoint();
        readVectors(plan.gramSet, i * stride + j0, w, gramVecs, baseBuf, be);
        accumulateRow(i, 0);
      }
    }
    for (let c = 0; c < w; c++) {
      const g = zeroGram(kg);
      pairs.forEach(([a, b], p) => {
        g[a][b] = totals[p * w + c];
        g[b][a] = totals[p * w + c];
      });
      const coefs = plan.coefficients(g, j0 + c);
      for (let k = 0; k < kc; k++) coefTable[k * stride + j0 + c] = Math.fround(coefs[k]);
    }
  }

  // Pass 2: out = [b +] Σ c_k[col]·v_k, in row order (same rules as combineInto, per element).
  const withBase = plan.combineSet.base !== undefined;
  const combine = (off: number, col0: number, count: number): void => {
    for (let e = 0; e < count; e++) {
      const idx = off + e;
      const col = col0 + e;
      let v = 0;
      let started = false;
      for (let k = 0; k < kc; k++) {
        const c = coefTable[k * stride + col];
        if (c === 0) continue;
        const term = Math.fround(c * combineVecs[k][idx]);
        v = started ? Math.fround(v + term) : term;
        started = true;
      }
      if (withBase) v = started ? Math.fround(v + baseBuf[idx]) : baseBuf[idx];
      acc[idx] = v;
    }
  };
  if (stride <= env.chunk) {
    const rowsPerRead = Math.floor(env.chunk / stride);
    for (let i0 = 0; i0 < length; i0 += rowsPerRead) {
      env.checkpoint();
      const rows = Math.min(rowsPerRead, length - i0);
      readVectors(plan.combineSet, i0 * stride, rows * stride, combineVecs, baseBuf, be);
      for (let r = 0; r < rows; r++) combine(r * stride, 0, stride);
      out.write(i0 * stride, acc, rows * stride);
    }
  } else {
    for (let i = 0; i < length; i++) {
      for (let p = 0; p < stride; p += env.chunk) {
        env.checkpoint();
        const len = Math.min(env.chunk, stride - p);
        readVectors(plan.combineSet, i * stride + p, len, combineVecs, baseBuf, be);
        combine(0, p, len);
        out.write(i * stride + p, acc, len);
      }
    }
  }
}
