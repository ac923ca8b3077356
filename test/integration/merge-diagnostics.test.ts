/** runMerge's live diagnostics: per-tensor task-vector metrics, checked against values computed here. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMerge } from '../../electron/engine/run/run-merge.js';
import type { DiagnosticsEvent, RunEvent } from '../../electron/engine/run/types.js';
import { writeHfCheckpoint } from '../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt } from './cli.js';

let dir: string;
beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('diagnostics');
});
afterAll(removeTempDirs);

describe('merge diagnostics', () => {
  it('reports task-vector norms, cosine, sign conflicts, norm sag and NaN counts per tensor', async () => {
    const name = 'model.layers.0.mlp.up_proj.weight';
    // Task vectors δA = [1, −2, 0, 2], δB = [2, 1, 0, −2]: norms 3 and 3, dot = 2 − 2 − 4 = −4.
    // Coordinates with two non-zero entries: 0, 1, 3; signs differ at 1 and 3 → 2/3.
    await writeHfCheckpoint(join(dir, 'base'), [{ name, shape: [4], values: [1, 1, 1, 1] }]);
    await writeHfCheckpoint(join(dir, 'a'), [{ name, shape: [4], values: [2, -1, 1, 3] }]);
    await writeHfCheckpoint(join(dir, 'b'), [{ name, shape: [4], values: [3, 2, 1, -1] }]);
    const events: RunEvent[] = [];
    await runMerge({
      recipe: {
        mergeMethod: 'task_arithmetic',
        baseModel: 'base',
        models: [
          { model: 'a', parameters: { weight: 1 } },
          { model: 'b', parameters: { weight: 1 } },
        ],
      },
      recipeDir: dir,
      out: join(dir, 'out'),
      diagnostics: true,
      threads: 1,
      onEvent: (e) => events.push(e),
    });
    const d = events.find((e): e is DiagnosticsEvent => e.type === 'diagnostics' && e.name === name)!;
    expect(d.layer).toBe(0);
    expect(d.stats.taskNorms[0]).toBeCloseTo(3, 6);
    expect(d.stats.taskNorms[1]).toBeCloseTo(3, 6);
    expect(d.stats.normRatio).toBeCloseTo(1, 6);
    expect(d.stats.cosine).toBeCloseTo(-4 / 9, 6);
    expect(d.stats.signConflict).toBeCloseTo(2 / 3, 6);
    // Output = base + δA + δB = [4, 0, 1, 1]: norm √18; inputs' norms √15 and √15.
    expect(d.stats.mergedNorm).toBeCloseTo(Math.sqrt(18), 6);
    expect(d.stats.normSag).toBeCloseTo(Math.sqrt(18) / Math.sqrt(15), 6);
    expect(d.stats.nan).toBe(0);
  });
});
