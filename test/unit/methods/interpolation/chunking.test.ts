/**
 * Same bits whatever the chunk size (spec §0), for every kernel of the folder, on tensors of at
 * least three chunks with an uneven last chunk, in every streaming path: whole rows grouped in a
 * chunk, rows longer than a chunk read in pieces, flattened tensors, dim-0 columns, and arcee's
 * short, long and many rows.
 */
import { describe, it } from 'vitest';
import type { MethodId, ResolvedParams } from '../../../../common/methods/types.js';
import { runMethod } from '../harness.js';
import { expectSameBits, randomTensor } from './helpers.js';

const N = 3 * 8192 + 1234; // 25810 = 2·5·29·89
const CHUNKS = [4096, 8192, 32768];

interface Case {
  method: MethodId;
  label: string;
  models: number;
  base: boolean;
  shape?: number[];
  global?: ResolvedParams;
  modelParams?: ResolvedParams[];
}

const cases: Case[] = [
  { method: 'slerp', label: 'flattened', models: 1, base: true, global: { t: 0.37 } },
  { method: 'nuslerp', label: 'flattened, with base', models: 2, base: true, modelParams: [{ weight: 0.4 }, { weight: 0.7 }] },
  { method: 'nuslerp', label: 'long rows', models: 2, base: false, shape: [5, 5162], global: { nuslerp_flatten: false }, modelParams: [{ weight: 1 }, { weight: 2 }] },
  { method: 'nuslerp', label: 'short rows', models: 2, base: true, shape: [89, 290], global: { nuslerp_flatten: false }, modelParams: [{ weight: 1 }, { weight: 2 }] },
  { method: 'nuslerp', label: 'dim-0 columns, narrow', models: 2, base: true, shape: [5162, 5], global: { nuslerp_flatten: false, nuslerp_row_wise: true }, modelParams: [{ weight: 1 }, { weight: 3 }] },
  { method: 'nuslerp', label: 'dim-0 columns, rows wider than a chunk', models: 2, base: false, shape: [2, 12905], global: { nuslerp_flatten: false, nuslerp_row_wise: true }, modelParams: [{ weight: 1 }, { weight: 3 }] },
  { method: 'multislerp', label: 'three models with base', models: 3, base: true, modelParams: [{ weight: 1 }, { weight: 2 }, { weight: 0.5 }] },
  { method: 'karcher', label: 'three models', models: 3, base: false },
  { method: 'model_stock', label: 'per tensor', models: 3, base: true },
  { method: 'model_stock', label: 'filter_wise, long rows', models: 2, base: true, shape: [5, 5162], global: { filter_wise: true } },
  { method: 'model_stock', label: 'filter_wise, short rows', models: 2, base: true, shape: [89, 290], global: { filter_wise: true } },
  { method: 'nearswap', label: 'elementwise', models: 1, base: true, global: { t: 0.05 } },
  { method: 'passthrough', label: 'scaled', models: 1, base: false, modelParams: [{ scale: 0.7 }] },
  { method: 'arcee_fusion', label: '1-D (one row longer than a chunk)', models: 1, base: true, shape: [N] },
  { method: 'arcee_fusion', label: 'long rows', models: 1, base: true, shape: [5, 5162] },
  { method: 'arcee_fusion', label: 'short rows', models: 1, base: true, shape: [89, 290] },
  { method: 'arcee_fusion', label: 'more rows than a chunk', models: 1, base: true, shape: [12905, 2] },
];

describe('chunk-size independence (bit-exact)', () => {
  for (const c of cases) {
    it(`${c.method}: ${c.label}`, () => {
      const base = c.base ? randomTensor(N, 100, 0.05) : undefined;
      // Models near the base (task vectors of various sizes), or plain random tensors.
      const models = Array.from({ length: c.models }, (_, i) => {
        const delta = randomTensor(N, 200 + i, 0.01 * (i + 1), 0.002 * i);
        return base ? Float32Array.from(delta, (d, j) => base[j] + d) : randomTensor(N, 300 + i, 1, 0.1 * i);
      });
      const run = (chunk: number) =>
        runMethod(c.method, { base, models, shape: c.shape ?? [N], global: c.global, modelParams: c.modelParams, chunk }).out;
      const reference = run(CHUNKS[0]);
      for (const chunk of CHUNKS.slice(1)) expectSameBits(run(chunk), reference);
    });
  }
});
