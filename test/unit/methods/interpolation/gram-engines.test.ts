/**
 * The Gram matrices the streaming engines hand to a method must be bit-identical (float64) to
 * Backend.dotBlocks over each whole vector, whatever the chunk size and whichever path (rows grouped
 * in a chunk, rows read in pieces, strided dim-0 columns). Output bits rarely show a last-bit
 * difference of a float64 sum, so this is checked here directly.
 */
import { describe, expect, it } from 'vitest';
import { TsBackend } from '../../../../electron/engine/backend/ts-backend.js';
import type { KernelEnv } from '../../../../electron/engine/methods/kernel.js';
import { ArraySink, ArrayStream } from '../../../../electron/engine/methods/memory-stream.js';
import { mergeColumnWise } from '../../../../electron/engine/methods/interpolation/column-wise-merge.js';
import type { Gram } from '../../../../electron/engine/methods/interpolation/gram.js';
import { mergeRowWise, type PerVectorMerge } from '../../../../electron/engine/methods/interpolation/row-wise-merge.js';
import { randomTensor } from './helpers.js';

const be = new TsBackend();
const env = (chunk: number): KernelEnv => ({ backend: be, chunk, checkpoint: () => {}, warn: () => {} });

/** A plan that records the Gram matrix of every vector and returns coefficients [1, 0]. */
function recordingPlan(streams: ArrayStream[], base?: ArrayStream): { plan: PerVectorMerge; grams: Map<number, Gram> } {
  const grams = new Map<number, Gram>();
  const set = { streams, base };
  return {
    grams,
    plan: {
      gramSet: set,
      combineSet: set,
      coefficients: (g, v) => {
        grams.set(v, g.map((r) => [...r]));
        return [1, 0];
      },
    },
  };
}

/** dotBlocks over whole vectors given as plain arrays. */
function expectedGram(vectors: Float32Array[]): Gram {
  return vectors.map((x) => vectors.map((y) => be.dotBlocks(x, y, x.length, 0)));
}

describe('Gram matrices seen by the methods', () => {
  const rows = 5;
  const cols = 5162;
  const a = randomTensor(rows * cols, 71);
  const b = randomTensor(rows * cols, 72);
  const base = randomTensor(rows * cols, 73, 0.3);
  const delta = (x: Float32Array) => Float32Array.from(x, (v, j) => v - base[j]);

  for (const chunk of [4096, 8192, 32768]) {
    it(`rows of ${cols}, chunk ${chunk}: dotBlocks over each whole row of the task vectors`, () => {
      const { plan, grams } = recordingPlan([new ArrayStream(a), new ArrayStream(b)], new ArrayStream(base));
      mergeRowWise(plan, cols, rows * cols, new ArraySink(rows * cols), env(chunk));
      const [da, db] = [delta(a), delta(b)];
      for (let r = 0; r < rows; r++) {
        const slice = (x: Float32Array) => x.slice(r * cols, (r + 1) * cols);
        expect(grams.get(r)).toEqual(expectedGram([slice(da), slice(db)]));
      }
    });

    it(`flattened tensor of ${rows * cols}, chunk ${chunk}: dotBlocks over the whole tensor`, () => {
      const { plan, grams } = recordingPlan([new ArrayStream(a), new ArrayStream(b)]);
      mergeRowWise(plan, rows * cols, rows * cols, new ArraySink(rows * cols), env(chunk));
      expect(grams.get(0)).toEqual(expectedGram([a, b]));
    });
  }

  for (const [d0, stride, chunk] of [
    [5000, 3, 4096],
    [5000, 3, 32768],
    [2, 9000, 4096],
    [3, 9000, 32768],
  ]) {
    it(`dim-0 columns of [${d0}, ${stride}], chunk ${chunk}: dotBlocks over each gathered column`, () => {
      const n = d0 * stride;
      const x = randomTensor(n, 74);
      const y = randomTensor(n, 75);
      const { plan, grams } = recordingPlan([new ArrayStream(x), new ArrayStream(y)]);
      mergeColumnWise(plan, d0, n, new ArraySink(n), env(chunk));
      const column = (v: Float32Array, j: number) => Float32Array.from({ length: d0 }, (_, i) => v[i * stride + j]);
      for (const j of [0, 1, stride - 1]) expect(grams.get(j)).toEqual(expectedGram([column(x, j), column(y, j)]));
      expect(grams.size).toBe(stride);
    });
  }
});
