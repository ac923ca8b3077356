/**
 * Issue 6's stages through the service with the real engine: alignment (per-group objectives,
 * units moved, reused when up to date, a foreign folder never replaced), the Fisher estimate's plan
 * and the estimate itself (reused when up to date), and a Fisher merge run as a merge job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceEvent } from '../../../common/contract/events.js';
import type { AlignTaskResult, FisherTaskResult, TaskResult, TaskSpec } from '../../../common/contract/tasks.js';
import { probeLoss } from '../../../electron/engine/probe/probe-loss.js';
import { initMlp, writeMlpCheckpoint } from '../../../electron/engine/probe/mlp/mlp-params.js';
import { createService, type Service } from '../../../electron/service/create-service.js';
import { realEngine } from '../../../electron/service/real-engine.js';
import { makeRng } from '../../helpers/prng.js';
import { readCheckpointF32 } from '../../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

const DEMO = join(import.meta.dirname, '../../../assets/demo/models');
const FIXTURES = join(import.meta.dirname, '../../fixtures');
const ASSETS = join(import.meta.dirname, '../../../assets');

let dir: string;
let service: Service;
const events: ServiceEvent[] = [];

async function task(spec: TaskSpec): Promise<{ result?: TaskResult; error?: string; steps: number }> {
  const { taskId } = await service.api['task.start']({ task: spec });
  const start = Date.now();
  for (;;) {
    const end = events.find((e) => 'taskId' in e && e.taskId === taskId && (e.kind === 'task.finished' || e.kind === 'task.failed' || e.kind === 'task.cancelled'));
    const steps = events.filter((e) => e.kind === 'task.event' && e.taskId === taskId && e.event.type === 'step').length;
    if (end?.kind === 'task.finished') return { result: end.result, steps };
    if (end?.kind === 'task.failed') return { error: end.error.message, steps };
    if (end) return { error: 'cancelled', steps };
    if (Date.now() - start > 60_000) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  dir = await makeTempDir('stage-tasks');
  service = createService({ engine: realEngine(), configDir: join(dir, 'config'), assetsDir: ASSETS, host: 'web', version: 'test' });
  service.onEvent((e) => events.push(e));
  await writeMlpCheckpoint(join(dir, 'a'), initMlp([6, 16, 16, 3], makeRng(1).uniform));
  await writeMlpCheckpoint(join(dir, 'b'), initMlp([6, 16, 16, 3], makeRng(2).uniform));
  await writeFile(join(dir, 'probe.txt'), 'The quick brown fox jumps over the lazy dog. '.repeat(4));
});
afterAll(async () => {
  await service.close();
  await removeTempDirs();
});

describe('align stage', () => {
  const spec = (out: string, force = false): TaskSpec => ({ kind: 'align', reference: 'a', model: 'b', out, recipeDir: dir, seed: 0, maxSweeps: 100, force, nodeId: 'al' });

  it('permutes B onto A and reports each group: objective before and after, units moved', async () => {
    const r = await task(spec('b-aligned'));
    expect(r.error).toBeUndefined();
    const res = r.result as AlignTaskResult;
    expect(res).toMatchObject({ kind: 'align', out: join(dir, 'b-aligned'), skipped: false, converged: true });
    expect(res.groups.map((g) => `${g.id}:${g.units}`)).toEqual(res.groups.map((g) => `${g.id}:16`));
    expect(res.groups.length).toBe(2);
    expect(res.groups.some((g) => g.moved > 0)).toBe(true);
    // The matching objective restricted to the groups' tensors rises; the total is the engine's.
    expect(res.objective).toBeGreaterThan(res.initialObjective);
    expect(res.groups.reduce((s, g) => s + g.after - g.before, 0)).toBeGreaterThan(0);
    expect(r.steps).toBeGreaterThan(0);
  });

  it('is reused when the folder already holds the same alignment, and recomputed when forced', async () => {
    const again = await task(spec('b-aligned'));
    expect(again.result).toMatchObject({ kind: 'align', skipped: true });
    expect((again.result as AlignTaskResult).groups).toEqual(((await task(spec('b-aligned', true))).result as AlignTaskResult).groups);
  });

  it('never replaces a folder it did not write', async () => {
    await mkdir(join(dir, 'mine'), { recursive: true });
    await writeFile(join(dir, 'mine', 'notes.txt'), 'keep');
    const r = await task(spec('mine'));
    expect(r.error).toBe(`${join(dir, 'mine')} already exists and was not written by an Align node: choose another folder.`);
  });
});

describe('Fisher stage and Fisher merges', () => {
  const probe = { texts: [{ kind: 'file' as const, path: 'probe.txt' }], window: 32, stride: 32 };

  it('plans the estimate first, estimates, then reuses the file', async () => {
    const plan = await service.api['fisher.plan']({ model: join(DEMO, 'math'), out: 'fisher-math.safetensors', recipeDir: dir, probe });
    expect(plan).toMatchObject({ windows: 6, tokens: 180, existing: null });
    expect(plan.seconds).toBeGreaterThan(0);
    const spec: TaskSpec = { kind: 'fisherEstimate', model: join(DEMO, 'math'), out: 'fisher-math.safetensors', recipeDir: dir, probe, force: false, nodeId: 'f' };
    const r = await task(spec);
    expect(r.result).toMatchObject({ kind: 'fisher', skipped: false, count: 6, sources: ['probe.txt'] });
    expect((r.result as FisherTaskResult).estimator).toMatch(/^empirical Fisher/);
    expect((await task(spec)).result).toMatchObject({ kind: 'fisher', skipped: true, count: 6 });
    expect((await service.api['fisher.plan']({ model: join(DEMO, 'math'), out: 'fisher-math.safetensors', recipeDir: dir, probe })).existing).toMatchObject({ count: 6 });
  });

  it('a Fisher merge job (each model naming its Fisher file) runs as a merge: Σ w F x / Σ w F computed here from the files, with tensor and progress events', async () => {
    await task({ kind: 'fisherEstimate', model: join(DEMO, 'code'), out: 'fisher-code.safetensors', recipeDir: dir, probe, force: false });
    const job = {
      recipe: {
        mergeMethod: 'fisher' as const,
        models: [
          { model: join(DEMO, 'math'), parameters: { weight: 2 }, fisher: 'fisher-math.safetensors' },
          { model: join(DEMO, 'code'), fisher: 'fisher-code.safetensors' },
        ],
      },
      recipeDir: dir,
      out: 'fisher-out',
      force: false,
      mergeNodeId: 'm',
    };
    const pf = await service.api['run.preflight']({ job });
    expect(pf.tensors).toBe(75);
    const { jobId } = await service.api['run.start']({ job });
    const start = Date.now();
    while (!events.some((e) => 'jobId' in e && e.jobId === jobId && (e.kind === 'job.finished' || e.kind === 'job.failed'))) {
      if (Date.now() - start > 60_000) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
    const mine = events.filter((e) => 'jobId' in e && e.jobId === jobId);
    expect(mine.find((e) => e.kind === 'job.failed')).toBeUndefined();
    expect(mine.filter((e) => e.kind === 'job.event' && e.event.type === 'tensor')).toHaveLength(75);
    // Spec §4 in float64 from the files themselves: Σ w (F + ε) x / Σ w (F + ε), weights 2 and 1.
    const [xm, xc, fm, fc, got] = await Promise.all(
      [join(DEMO, 'math'), join(DEMO, 'code'), join(dir, 'fisher-math.safetensors'), join(dir, 'fisher-code.safetensors'), join(dir, 'fisher-out')].map((p) => readCheckpointF32(p)),
    );
    expect(got.size).toBe(75);
    for (const [name, x1] of xm) {
      const [x2, f1, f2, out] = [xc.get(name)!, fm.get(name)!, fc.get(name)!, got.get(name)!];
      for (let k = 0; k < x1.length; k++) {
        const c1 = 2 * (f1[k] + 1e-8);
        const c2 = f2[k] + 1e-8;
        const want = (c1 * x1[k] + c2 * x2[k]) / (c1 + c2);
        if (!(Math.abs(out[k] - want) <= 1e-5 * Math.max(1e-3, Math.abs(x1[k]), Math.abs(x2[k])))) throw new Error(`${name}[${k}]: ${out[k]} ≠ ${want}`);
      }
    }
  });
});

describe('probes of merges with LoRA inputs', () => {
  it('a LoRA task vector’s weight slider is previewed with the adapter applied (weight 0 is the base)', async () => {
    const base = join(FIXTURES, 'tiny-llama');
    const r = await task({
      kind: 'sliderBarrier',
      recipe: { mergeMethod: 'task_arithmetic', baseModel: base, models: [{ model: base, lora: join(FIXTURES, 'tiny-lora'), parameters: { weight: 1 } }] },
      recipeDir: dir,
      axis: { param: 'weight', model: 0 },
      range: [0, 1],
      points: 3,
      probe: { texts: [{ kind: 'file', path: 'probe.txt' }], window: 16, stride: 16 },
    });
    expect(r.error).toBeUndefined();
    if (r.result?.kind !== 'barrier') throw new Error('no barrier');
    expect(r.result.points.map((p) => p.value)).toEqual([0, 0.5, 1]);
    const alone = await probeLoss(base, [{ name: 'probe.txt', text: 'The quick brown fox jumps over the lazy dog. '.repeat(4) }], { window: 16, stride: 16 });
    expect(r.result.points[0].loss).toBeCloseTo(alone.loss, 6);
    expect(r.result.points[2].loss).not.toBeCloseTo(alone.loss, 6);
  });
});
