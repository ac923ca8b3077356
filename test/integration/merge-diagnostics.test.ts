/** runMerge's live diagnostics: per-tensor task-vector metrics, checked against values computed here. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { readTensorF32 } from '../../electron/engine/probe/stream/read-tensor-f32.js';
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

  it('reports, per model, the fraction of its non-zero task-vector coordinates that TIES trimming and DARE dropping keep', async () => {
    const name = 'model.layers.1.mlp.up_proj.weight';
    const n = 1000;
    // δA: 1000 distinct non-zero magnitudes; δB: the same with 200 zeros. TIES density 0.3 keeps ⌊0.3·1000⌋ = 300 ranks:
    // all 300 are non-zero for both (B's 800 non-zero rank first).
    const dA = Array.from({ length: n }, (_, j) => ((j * 7919) % n) + 1).map((v, j) => (j % 2 ? -v : v) / 1024);
    const dB = dA.map((v, j) => (j % 5 === 0 ? 0 : v));
    await writeHfCheckpoint(join(dir, 'tbase'), [{ name, shape: [n], values: new Array(n).fill(0) }]);
    await writeHfCheckpoint(join(dir, 'ta'), [{ name, shape: [n], values: dA }]);
    await writeHfCheckpoint(join(dir, 'tb'), [{ name, shape: [n], values: dB }]);
    const statsOf = async (method: 'ties' | 'dare_linear', density: number) => {
      const events: RunEvent[] = [];
      await runMerge({
        recipe: {
          mergeMethod: method,
          baseModel: 'tbase',
          models: [
            { model: 'ta', parameters: { weight: 1, density } },
            { model: 'tb', parameters: { weight: 1, density } },
          ],
        },
        recipeDir: dir,
        out: join(dir, `out-${method}-${density}`),
        diagnostics: true,
        threads: 1,
        onEvent: (e) => events.push(e),
      });
      return events.find((e): e is DiagnosticsEvent => e.type === 'diagnostics' && e.name === name)!.stats;
    };
    const ties = await statsOf('ties', 0.3);
    expect(ties.taskNonzero).toEqual([1000, 800]);
    expect(ties.taskKept).toEqual([300, 300]);
    expect(ties.keptFraction).toEqual([0.3, 300 / 800]);
    const dare = await statsOf('dare_linear', 0.5);
    // Each of B's non-zero coordinates has A's value there: B keeps a subset of its 800; both ≈ half (5σ).
    expect(Math.abs(dare.keptFraction![0]! - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / 1000));
    expect(Math.abs(dare.keptFraction![1]! - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / 800));
    const untouched = (await statsOf('ties', 1)).keptFraction;
    expect(untouched).toEqual([1, 1]);
  });

  it('DELLA (rows) and sce (shared variance mask) through the workers: what they report kept is what the merge wrote', async () => {
    const name = 'model.layers.2.mlp.down_proj.weight';
    const rows = 6;
    const cols = 300;
    const n = rows * cols;
    const delta = Array.from({ length: n }, (_, j) => ((((j * 7919) % n) + 1) / 2048) * (j % 3 ? 1 : -1));
    await writeHfCheckpoint(join(dir, 'dbase'), [{ name, shape: [rows, cols], values: new Array(n).fill(0) }]);
    await writeHfCheckpoint(join(dir, 'da'), [{ name, shape: [rows, cols], values: delta }]);
    const events: RunEvent[] = [];
    const out = join(dir, 'out-della');
    await runMerge({
      recipe: { mergeMethod: 'della_linear', baseModel: 'dbase', models: [{ model: 'da', parameters: { weight: 1, density: 0.4, epsilon: 0.1 } }] },
      recipeDir: dir,
      out,
      seed: 7,
      diagnostics: true,
      threads: 1,
      onEvent: (e) => events.push(e),
    });
    const della = events.find((e): e is DiagnosticsEvent => e.type === 'diagnostics' && e.name === name)!.stats;
    // One model on a zero base: the written tensor's non-zero entries are exactly the survivors.
    const written = readTensorF32((await openCheckpoint(out)).tensors.get(name)!);
    expect(della.taskNonzero).toEqual([n]);
    expect(della.taskKept).toEqual([written.reduce((c, v) => c + (v !== 0 ? 1 : 0), 0)]);

    // sce, hand-computed as in kept-fraction.test.ts: τ_A = [1, 2, 0, 4], τ_B = [1, 0, 3, 0], select_topk 0.67 keeps
    // the variances at 3 and 2: A keeps 1 of its 3 non-zero, B 1 of 2.
    const sname = 'model.layers.0.self_attn.v_proj.weight';
    await writeHfCheckpoint(join(dir, 'sbase'), [{ name: sname, shape: [4], values: [1, 1, 1, 1] }]);
    await writeHfCheckpoint(join(dir, 'sa'), [{ name: sname, shape: [4], values: [2, 3, 1, 5] }]);
    await writeHfCheckpoint(join(dir, 'sb'), [{ name: sname, shape: [4], values: [2, 1, 4, 1] }]);
    const sceEvents: RunEvent[] = [];
    await runMerge({
      recipe: { mergeMethod: 'sce', baseModel: 'sbase', models: [{ model: 'sa' }, { model: 'sb' }], parameters: { select_topk: 0.67 } },
      recipeDir: dir,
      out: join(dir, 'out-sce'),
      diagnostics: true,
      threads: 1,
      onEvent: (e) => sceEvents.push(e),
    });
    const sce = sceEvents.find((e): e is DiagnosticsEvent => e.type === 'diagnostics' && e.name === sname)!.stats;
    expect(sce.taskKept).toEqual([1, 1]);
    expect(sce.keptFraction![1]).toBe(0.5);
  });

  it('DELLA run whole or split into ranges counts kept from the decisions its merge kept: what the merge wrote, the same either way', async () => {
    const name = 'model.layers.1.mlp.up_proj.weight';
    // Rows of 512: ranges of 4096 elements are 8 whole rows (16 ranges).
    const rows = 128;
    const cols = 512;
    const n = rows * cols;
    const delta = Array.from({ length: n }, (_, j) => ((((j * 7919) % n) + 1) / 65536) * (j % 5 ? 1 : -1));
    await writeHfCheckpoint(join(dir, 'lbase'), [{ name, shape: [rows, cols], values: new Array(n).fill(0) }]);
    await writeHfCheckpoint(join(dir, 'la'), [{ name, shape: [rows, cols], values: delta }]);
    const statsOf = async (tag: string, opts: { threads: number; splitElements?: number }) => {
      const events: RunEvent[] = [];
      const out = join(dir, `out-della-${tag}`);
      await runMerge({
        // della with the l1 rescale (mergekit's, and the YAML import's default): the norms pass keeps its decisions.
        recipe: { mergeMethod: 'della', baseModel: 'lbase', models: [{ model: 'la', parameters: { weight: 1, density: 0.4, epsilon: 0.1 } }], parameters: { rescale_norm: 'l1' } },
        recipeDir: dir,
        out,
        seed: 11,
        diagnostics: true,
        onEvent: (e) => events.push(e),
        ...opts,
      });
      const written = readTensorF32((await openCheckpoint(out)).tensors.get(name)!);
      return { stats: events.find((e): e is DiagnosticsEvent => e.type === 'diagnostics' && e.name === name)!.stats, survivors: written.reduce((c, v) => c + (v !== 0 ? 1 : 0), 0) };
    };
    const whole = await statsOf('whole', { threads: 1 });
    const split = await statsOf('split', { threads: 2, splitElements: 4096 });
    // One model on a zero base: the written tensor's non-zero entries are exactly the survivors.
    expect(whole.stats.taskKept).toEqual([whole.survivors]);
    expect(split.survivors).toBe(whole.survivors);
    expect(split.stats.taskKept).toEqual([split.survivors]);
    expect(split.survivors).toBeGreaterThan(0.3 * n);
    expect(split.survivors).toBeLessThan(0.5 * n);
  });

  it('sce split into ranges on 2 threads reports the kept counts of the tensor run whole (the cut its split run found)', async () => {
    const name = 'model.layers.3.mlp.gate_proj.weight';
    const n = 3 * 4096 + 100;
    // Few levels: thousands of variances tie at the cut, across the range boundaries.
    const level = (j: number, salt: number) => [0, 0.25, 0.5, 0.75][(j * 7919 + salt) % 4] * ((j * 31 + salt) % 3 ? 1 : -1);
    await writeHfCheckpoint(join(dir, 'xbase'), [{ name, shape: [n], values: new Array(n).fill(0) }]);
    await writeHfCheckpoint(join(dir, 'xa'), [{ name, shape: [n], values: Array.from({ length: n }, (_, j) => level(j, 1)) }]);
    await writeHfCheckpoint(join(dir, 'xb'), [{ name, shape: [n], values: Array.from({ length: n }, (_, j) => level(j, 2)) }]);
    const statsOf = async (tag: string, opts: { threads: number; splitElements?: number }) => {
      const events: RunEvent[] = [];
      await runMerge({
        recipe: { mergeMethod: 'sce', baseModel: 'xbase', models: [{ model: 'xa' }, { model: 'xb' }], parameters: { select_topk: 0.3 } },
        recipeDir: dir,
        out: join(dir, `out-sce-${tag}`),
        diagnostics: true,
        onEvent: (e) => events.push(e),
        ...opts,
      });
      return events.find((e): e is DiagnosticsEvent => e.type === 'diagnostics' && e.name === name)!.stats;
    };
    const whole = await statsOf('whole', { threads: 1 });
    const split = await statsOf('split', { threads: 2, splitElements: 4096 });
    expect(whole.taskKept!.every((k) => k > 0 && k < n)).toBe(true);
    expect(split.taskKept).toEqual(whole.taskKept);
    expect(split.keptFraction).toEqual(whole.keptFraction);
  });
});
