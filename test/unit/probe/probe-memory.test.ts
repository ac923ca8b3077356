/**
 * A streaming probe's memory, reserved from the budget before anything is read: the weights of its
 * heaviest stage (hand-computed here from the tensors' sizes) plus K variants' activations plus
 * the program's working buffers; refused when that exceeds the whole budget, waited for when the
 * budget is full.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import type { CheckpointInfo } from '../../../electron/engine/io/types.js';
import { MemoryBudget } from '../../../electron/engine/executor/memory-budget.js';
import { interpolationPlans, MODEL_A, MODEL_B, planAt } from '../../../electron/engine/probe/barrier/interpolation-plan.js';
import { lambdaPoints } from '../../../electron/engine/probe/barrier/barrier-height.js';
import { evaluateVariants } from '../../../electron/engine/probe/stream/evaluate-variants.js';
import { CheckpointSource } from '../../../electron/engine/probe/stream/checkpoint-source.js';
import { MergedSource } from '../../../electron/engine/probe/stream/merged-source.js';
import { probeMemoryNeed } from '../../../electron/engine/probe/stream/probe-memory.js';
import type { ProbeProgram } from '../../../electron/engine/probe/stream/program.js';
import { writeHfCheckpoint } from '../../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

const PER_VARIANT = 100;
const WORKING = 1000;

/**
 * Three stages: rows 1 and 3 of e [8, 4]; w1 [16, 4]; w2 [4, 4] and all of e (as a tied head
 * would). `onRun` sees every stage run.
 */
function program(onRun: () => void = () => {}): ProbeProgram<number> {
  return {
    stages: [
      { label: 'embedding', layer: null, tensors: [{ name: 'e', rows: Int32Array.from([1, 3]) }] },
      { label: 'layer 0', layer: 0, tensors: [{ name: 'w1' }] },
      { label: 'head', layer: null, tensors: [{ name: 'w2' }, { name: 'e' }] },
    ],
    memory: { perVariantBytes: PER_VARIANT, workingBytes: WORKING },
    init: () => 0,
    run: async (i, w, s) => {
      onRun();
      for (const t of [['e'], ['w1'], ['w2', 'e']][i]) w.get(t);
      return s + 1;
    },
    totals: (s) => [{ nats: s, count: 1 }],
  };
}

const fill = (n: number, v: number) => Array.from({ length: n }, (_, i) => v + i / 64);

async function model(name: string, v: number): Promise<CheckpointInfo> {
  const dir = await makeTempDir(`probe-memory-${name}`);
  await writeHfCheckpoint(
    dir,
    [
      { name: 'e', shape: [8, 4], values: fill(32, v) },
      { name: 'w1', shape: [16, 4], values: fill(64, v) },
      { name: 'w2', shape: [4, 4], values: fill(16, v) },
    ],
    { dtype: 'BF16' },
  );
  return openCheckpoint(dir);
}

function barrierSource(a: CheckpointInfo, b: CheckpointInfo, K: number): MergedSource {
  const templates = new Map(interpolationPlans(a, b).map((p) => [p.name, p]));
  const lambdas = lambdaPoints(K);
  return new MergedSource({
    variants: K,
    plan: (j, name) => planAt(templates.get(name)!, lambdas[j]),
    checkpoints: new Map([
      [MODEL_A, a],
      [MODEL_B, b],
    ]),
    seed: 0,
  });
}

describe('the memory a streaming probe needs', () => {
  it('one model as float32: the heaviest stage holds e (kept for the head) and w1', async () => {
    const ck = await model('one', 0.5);
    const source = new CheckpointSource(ck);
    source.prepare(program().stages);
    // embedding: e read whole (the head needs it again) 32·4 + its 2 gathered rows 2·4·4 = 160
    // layer 0: e kept 128 + w1 64·4 = 384;  head: e 128 + w2 16·4 = 192
    expect([0, 1, 2].map((s) => source.stageBytes(s))).toEqual([160, 384, 192]);
    const need = probeMemoryNeed(program(), source, 'The check');
    expect(need.bytes).toBe(384 + PER_VARIANT + WORKING);
    expect(need.detail).toMatch(/largest stage \(layer 0\)/);
  });

  it('K interpolated variants of two bf16 models: inputs as stored, one variant formed as float32, the kernel chunks', async () => {
    const source = barrierSource(await model('a', 0.5), await model('b', -0.5), 5);
    source.prepare(program().stages);
    // Held as stored (2 bytes a weight, both models): e 2·64, w1 2·128, w2 2·32.
    // Formed for one variant as float32: e 128 (+ 2 gathered rows 32), w1 256, w2 64.
    // Chunk buffers of the kernel: (2 inputs + 2) · 65536 · 4 bytes.
    const chunks = 4 * 65536 * 4;
    expect(source.stageBytes(0)).toBe(128 + 160 + chunks);
    expect(source.stageBytes(1)).toBe(128 + 256 + 256 + chunks);
    expect(source.stageBytes(2)).toBe(128 + 64 + 64 + 128 + chunks);
    expect(probeMemoryNeed(program(), source, 'The barrier preview').bytes).toBe(640 + chunks + 5 * PER_VARIANT + WORKING);
  });
});

describe('evaluateVariants under a budget', () => {
  it('holds the need while it runs and gives it back', async () => {
    const ck = await model('hold', 0.25);
    const budget = new MemoryBudget(10_000);
    const used: number[] = [];
    const p = program(() => used.push(budget.bytesUsed));
    await evaluateVariants(p, new CheckpointSource(ck), { memory: { budget, task: 'The check' } });
    expect(new Set(used)).toEqual(new Set([384 + PER_VARIANT + WORKING]));
    expect(budget.bytesUsed).toBe(0);
  });

  it('needing more than the whole budget: a clear error before reading anything', async () => {
    const source = barrierSource(await model('big-a', 0.5), await model('big-b', -0.5), 11);
    const budget = new MemoryBudget(1 << 20);
    let ran = false;
    const run = evaluateVariants(program(() => (ran = true)), source, { memory: { budget, task: 'The barrier preview' } });
    await expect(run).rejects.toThrow(/^The barrier preview needs about 1\.\d\d MiB of memory \(the weights of its largest stage \(layer 0\) .* 11 variants' activations .*\), more than the whole memory budget of 1\.00 MiB: raise the memory budget or use fewer points or shorter probe texts\.$/);
    expect(ran).toBe(false);
    expect(source.io.bytesRead).toBe(0);
    expect(budget.bytesUsed).toBe(0);
  });

  it('waits while the budget is full, reading nothing; a cancel during the wait ends it', async () => {
    const ck = await model('wait', 0.75);
    const budget = new MemoryBudget(10_000);
    await budget.acquire(9_000);
    const source = new CheckpointSource(ck);
    const ac = new AbortController();
    const run = evaluateVariants(program(), source, { memory: { budget, task: 'The check' }, signal: ac.signal });
    await new Promise((r) => setTimeout(r, 20));
    expect(source.io.bytesRead).toBe(0);
    ac.abort();
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' });
    expect(budget.bytesUsed).toBe(9_000);

    // Once the budget frees up, a waiting evaluation runs.
    const second = new CheckpointSource(ck);
    const done = evaluateVariants(program(), second, { memory: { budget, task: 'The check' } });
    await new Promise((r) => setTimeout(r, 20));
    expect(second.io.bytesRead).toBe(0);
    budget.release(9_000);
    await expect(done).resolves.toEqual([[{ nats: 3, count: 1 }]]);
    expect(second.io.bytesRead).toBeGreaterThan(0);
  });
});
