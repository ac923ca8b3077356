/**
 * Large tensors of TIES-style methods (and sce, arcee_fusion) split across worker threads (runMerge's splitElements made
 * small so a small checkpoint splits): their statistics passes run range by range on the pool and
 * are combined on the main thread, and the files written are byte for byte those of the tensor
 * run whole on one thread, with either backend and with 1 or 2 threads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MergeRecipe } from '../../common/recipe/types.js';
import { runMerge } from '../../electron/engine/run/run-merge.js';
import type { RunEvent } from '../../electron/engine/run/types.js';
import { makeLlamaCheckpoint } from '../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt } from './cli.js';

let dir: string;
// vocab 1000 × hidden 64: a 64,000-element embedding, 15.6 ranges of 4096; layers of 4096 and 8192.
const SHAPE = { layers: 2, hidden: 64, intermediate: 128, vocab: 1000, heads: 4, kvHeads: 2, dtype: 'BF16' as const };

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('split-statistics');
  await makeLlamaCheckpoint({ ...SHAPE, dir: join(dir, 'base'), seed: 1 });
  await makeLlamaCheckpoint({ ...SHAPE, dir: join(dir, 'a'), seed: 2 });
  await makeLlamaCheckpoint({ ...SHAPE, dir: join(dir, 'b'), seed: 3 });
}, 60_000);
afterAll(removeTempDirs);

function recipe(method: MergeRecipe['mergeMethod'], params: Record<string, number>[], global: Record<string, string | number | boolean> = {}): MergeRecipe {
  return { mergeMethod: method, baseModel: 'base', models: ['a', 'b'].map((model, i) => ({ model, parameters: params[i] })), parameters: global, seed: 7 };
}

async function merge(r: MergeRecipe, out: string, opts: { threads: number; splitElements?: number; backend?: 'ts' | 'wasm' }): Promise<{ bytes: Buffer; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  await runMerge({ recipe: r, recipeDir: dir, out: join(dir, out), onEvent: (e) => events.push(e), ...opts });
  return { bytes: readFileSync(join(dir, out, 'model.safetensors')), events };
}

describe('statistics passes split across workers', () => {
  const cases: [string, MergeRecipe][] = [
    ['ties', recipe('ties', [{ weight: 0.6, density: 0.3 }, { weight: 0.4, density: 0.55 }])],
    ['ties with the l1 rescale', recipe('ties', [{ weight: 1, density: 0.5 }, { weight: 1, density: 0.25 }], { rescale: true })],
    ['breadcrumbs_ties', recipe('breadcrumbs_ties', [{ weight: 0.5, density: 0.8, gamma: 0.05 }, { weight: 0.5, density: 0.6, gamma: 0.1 }])],
    ['dare_ties with the l1 rescale', recipe('dare_ties', [{ weight: 0.5, density: 0.4 }, { weight: 0.5, density: 0.7 }], { rescale_norm: 'l1' })],
    // DELLA ranks within rows: its ranges are whole rows (of 64 and 128 here).
    ['della with the l1 rescale', recipe('della', [{ weight: 0.5, density: 0.5, epsilon: 0.2 }, { weight: 0.5, density: 0.7, epsilon: 0.1 }], { rescale_norm: 'l1' })],
    ['della_linear', recipe('della_linear', [{ weight: 0.6, density: 0.4, epsilon: 0.3 }, { weight: 0.4, density: 0.6, epsilon: 0.1 }])],
    ['sce', recipe('sce', [{}, {}], { select_topk: 0.4 })],
    // arcee_fusion's divergences are per row: its ranges are whole rows, and it takes one model.
    ['arcee_fusion', { mergeMethod: 'arcee_fusion', baseModel: 'base', models: [{ model: 'base' }, { model: 'a' }], parameters: {}, seed: 7 }],
  ];
  for (const [label, r] of cases) {
    it(`${label}: split over 1 and 2 threads = whole on one thread, byte for byte`, async () => {
      const tag = label.replace(/\W+/g, '-');
      const whole = await merge(r, `${tag}-whole`, { threads: 1 });
      const split2 = await merge(r, `${tag}-split-2`, { threads: 2, splitElements: 4096 });
      const split1 = await merge(r, `${tag}-split-1`, { threads: 1, splitElements: 8192, backend: 'ts' });
      expect(split2.bytes.equals(whole.bytes)).toBe(true);
      expect(split1.bytes.equals(whole.bytes)).toBe(true);
      // Every tensor is reported done exactly once, and progress reaches its total.
      const done = split2.events.filter((e) => e.type === 'tensor').map((e) => (e as { name: string }).name);
      expect(new Set(done).size).toBe(done.length);
      expect(done).toContain('model.embed_tokens.weight');
      const last = split2.events.filter((e) => e.type === 'progress').pop() as { bytesDone: number; bytesTotal: number };
      expect(last.bytesDone).toBe(last.bytesTotal);
    }, 120_000);
  }

  it('refuses a split size that is not a multiple of the 4096-element block', async () => {
    await expect(merge(cases[0][1], 'bad-split', { threads: 1, splitElements: 5000 })).rejects.toThrow(/multiple of 4096/);
  });
});
