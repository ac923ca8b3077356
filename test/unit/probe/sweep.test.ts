/**
 * Sweeps and slider barriers over a recipe's parameters with the real kernels: the preview equals
 * the model the kernels write (checked against models built with the kernel harness), grids read
 * each input once, results are cached, and the post-merge check compares written and previewed losses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { planMerge } from '../../../electron/engine/plan/plan-merge.js';
import { checkWrittenModel } from '../../../electron/engine/probe/check/written-check.js';
import { probeLoss } from '../../../electron/engine/probe/probe-loss.js';
import { ProbeCache } from '../../../electron/engine/probe/sweep/probe-cache.js';
import { recipeSweep, sliderBarrier } from '../../../electron/engine/probe/sweep/recipe-sweep.js';
import type { CheckpointInfo } from '../../../electron/engine/io/types.js';
import { makeLlamaCheckpoint, writeHfCheckpoint, type BuiltCheckpoint } from '../../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { runMethod } from '../methods/harness.js';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { ensureKernelsBuilt } from '../backend/kernels-built.js';

afterAll(removeTempDirs);

const texts = [
  { name: 'prose', text: 'The quick brown fox jumps over the lazy dog.' },
  { name: 'code', text: 'for (int i = 0; i < n; i++) { sum += a[i]; }' },
];

let base: BuiltCheckpoint;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;

async function fineTune(seed: number): Promise<BuiltCheckpoint> {
  return makeLlamaCheckpoint({
    vocab: 256,
    tokenizer: false,
    dtype: 'BF16',
    seed,
    values: (name, _shape, rng) => base.tensors.get(name)!.map((v) => v + 0.03 * rng.normal()),
  });
}

beforeAll(async () => {
  base = await makeLlamaCheckpoint({ vocab: 256, tokenizer: false, dtype: 'BF16', seed: 1 });
  a = await fineTune(2);
  b = await fineTune(3);
});

function recipe(method: MergeRecipe['mergeMethod'] = 'dare_ties'): MergeRecipe {
  return {
    mergeMethod: method,
    baseModel: base.dir,
    models: [
      { model: a.dir, parameters: { weight: 1, density: 0.5 } },
      { model: b.dir, parameters: { weight: 0.7, density: 0.5 } },
    ],
    seed: 7,
  };
}

/** Writes the model the recipe describes, tensor by tensor through the kernel harness (no probe code). */
async function mergeWithHarness(r: MergeRecipe): Promise<string> {
  const checkpoints = new Map<string, CheckpointInfo>();
  for (const ck of [base, a, b]) checkpoints.set(ck.dir, await openCheckpoint(ck.dir));
  const plan = planMerge(r, checkpoints);
  const values = (ref: { model: string; tensor: string }) => [base, a, b].find((c) => c.dir === ref.model)!.tensors.get(ref.tensor)!;
  const tensors = plan.tensors.map((t) => {
    const { out } = runMethod(t.method, {
      base: t.base ? values(t.base) : undefined,
      models: t.models.map(values),
      modelParams: t.modelParams,
      global: t.global,
      name: t.name,
      seed: plan.seed,
      shape: base.shapes.get(t.name),
    });
    return { name: t.name, shape: base.shapes.get(t.name)!, values: out };
  });
  const dir = await makeTempDir('harness-merge');
  await writeHfCheckpoint(dir, tensors, { dtype: 'BF16', config: base.config, tokenizer: false });
  return dir;
}

describe('recipeSweep', () => {
  it('each cell is the model the kernels write (dare_ties, BF16 output, seeded masks), every input read once', async () => {
    const axes = [
      { param: 'density', model: 0, values: [0.3, 0.9] },
      { param: 'lambda', values: [0.5, 1, 1.5] },
    ];
    const cells: number[] = [];
    const res = await recipeSweep({ recipe: recipe(), texts }, axes, { onCell: (e) => cells.push(e.index) });
    expect(res.cells.map((c) => c.values)).toEqual([
      [0.3, 0.5],
      [0.3, 1],
      [0.3, 1.5],
      [0.9, 0.5],
      [0.9, 1],
      [0.9, 1.5],
    ]);
    expect(cells).toEqual([0, 1, 2, 3, 4, 5]);
    // Each of the 3 inputs' tensors read once, whatever the 6 cells.
    expect(res.io.reads.size).toBe(3 * base.tensors.size);
    expect([...res.io.reads.values()].every((n) => n === 1)).toBe(true);
    expect(res.io.bytesRead).toBe(3 * [...base.tensors.values()].reduce((s, t) => s + 2 * t.length, 0));

    const cell = res.cells[4];
    const r = recipe();
    r.models![0].parameters!.density = 0.9;
    r.parameters = { lambda: 1 };
    const written = await probeLoss(await mergeWithHarness(r), texts);
    expect(cell.losses[0]).toBe(written.texts[0].loss);
    expect(cell.losses[1]).toBe(written.texts[1].loss);
    expect(res.best).toBe(res.cells.reduce((bi, c, i) => (c.mean < res.cells[bi].mean ? i : bi), 0));

    // The post-merge check accepts the written model and rejects a different one.
    const ok = await checkWrittenModel(await mergeWithHarness(r), texts, cell.losses);
    expect(ok.ok).toBe(true);
    r.seed = 8; // other DARE masks: another model
    const other = await mergeWithHarness(r);
    const bad = await checkWrittenModel(other, texts, cell.losses);
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain(other);
    expect(bad.maxDifference).toBeGreaterThan(1e-4);
  });

  it('caches results by inputs, parameters, texts, window, stride, K and tokenizer', async () => {
    const cache = new ProbeCache();
    const axes = [{ param: 'weight', model: 1, values: [0, 1] }];
    const first = await recipeSweep({ recipe: recipe('task_arithmetic'), texts }, axes, { cache });
    expect(first.cached).toBe(false);
    const again = await recipeSweep({ recipe: recipe('task_arithmetic'), texts }, axes, { cache });
    expect(again.cached).toBe(true);
    expect(again.io.bytesRead).toBe(0);
    expect(again.cells).toEqual(first.cells);
    const otherWindow = await recipeSweep({ recipe: recipe('task_arithmetic'), texts }, axes, { cache, window: 16 });
    expect(otherWindow.cached).toBe(false);
    const otherText = await recipeSweep({ recipe: recipe('task_arithmetic'), texts: [texts[0]] }, axes, { cache });
    expect(otherText.cached).toBe(false);
    expect(cache.size).toBe(3);
    // weight 0 for model 1 is task arithmetic of model 0 alone: equals a 1-model recipe.
    const solo = await recipeSweep({ recipe: { ...recipe('task_arithmetic'), models: [recipe().models![0]] }, texts }, [{ param: 'lambda', values: [1] }]);
    expect(first.cells[0].losses).toEqual(solo.cells[0].losses);
  });

  it('merging with the WebAssembly kernels gives the same losses, bit for bit', async () => {
    ensureKernelsBuilt();
    const axes = [{ param: 'density', model: 1, values: [0.2, 0.8] }];
    const ts = await recipeSweep({ recipe: recipe('dare_ties'), texts }, axes, { mergeBackend: new TsBackend() });
    const wasm = await recipeSweep({ recipe: recipe('dare_ties'), texts }, axes, { mergeBackend: new WasmBackend() });
    expect(wasm.cells.map((c) => c.losses)).toEqual(ts.cells.map((c) => c.losses));
  });

  it('refuses a parameter the method does not have, and a per-model one without a model', async () => {
    await expect(recipeSweep({ recipe: recipe(), texts }, [{ param: 't', values: [0.5] }])).rejects.toThrow(/no parameter 't'/);
    await expect(recipeSweep({ recipe: recipe(), texts }, [{ param: 'density', values: [0.5] }])).rejects.toThrow(/per-model/);
  });
});

describe('sliderBarrier', () => {
  it('places K points across the slider range, clamped to valid values, with the barrier of the mean curve', async () => {
    const res = await sliderBarrier({ recipe: recipe('dare_ties'), texts }, { param: 'density', model: 0 }, { points: 3, range: [0, 1] });
    expect(res.points.map((p) => p.lambda)).toEqual([0, 0.5, 1]);
    // density is in (0, 1]: 0 is nudged inside.
    expect(res.points[0].value).toBeGreaterThan(0);
    expect(res.points[0].value).toBeLessThan(1e-5);
    expect(res.points.map((p) => p.value).slice(1)).toEqual([0.5, 1]);
    const [l0, l1, l2] = res.points.map((p) => p.loss);
    expect(res.barrier).toBeCloseTo(Math.max(0, l1 - (l0 + l2) / 2), 12);
    expect(res.texts.map((t) => t.name)).toEqual(['prose', 'code']);
  });

  it('a setting the planner refuses is a cell with the error, not a failed sweep', async () => {
    // TIES keeps ⌊density·numel⌋ entries: 1e-6 keeps none of a small tensor.
    const res = await sliderBarrier({ recipe: recipe('ties'), texts }, { param: 'density', model: 0 }, { points: 3, range: [0, 1] });
    expect(Number.isNaN(res.points[0].loss)).toBe(true);
    expect(Number.isNaN(res.barrier)).toBe(true);
    expect(Number.isFinite(res.points[1].loss)).toBe(true);
    const sweep = await recipeSweep({ recipe: recipe('ties'), texts }, [{ param: 'density', model: 0, values: [1e-6, 0.5] }]);
    expect(sweep.cells[0].error).toMatch(/density/);
    expect(sweep.best).toBe(1);
  });

  it('a slerp t slider from 0 to 1 ends at the base and at the other model', async () => {
    const r: MergeRecipe = { mergeMethod: 'slerp', baseModel: base.dir, models: [{ model: base.dir }, { model: a.dir }] };
    const res = await sliderBarrier({ recipe: r, texts }, { param: 't' }, { points: 2 });
    const lb = await probeLoss(base.dir, texts);
    const la = await probeLoss(a.dir, texts);
    expect(res.points[0].loss).toBeCloseTo(lb.loss, 12);
    expect(res.points[1].loss).toBeCloseTo(la.loss, 12);
  });
});
