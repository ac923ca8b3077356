/**
 * Load, through the service API as the UI drives it (built code, real engine): 20 merges queued
 * back to back and 4 barrier previews running beside them, under one process-wide memory budget
 * set small. Every job and task that is not cancelled completes with the right output; the
 * budget is never exceeded — the previews reserve their weights and activations from it as the
 * merges do, and the process's measured resident memory stays under it; cancelling a queued
 * merge, the running merge, a running preview and a queued preview leaves all the others running
 * to completion. (The UI's responsiveness under this load is measured by the benchmark, not
 * asserted here.)
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSpec } from '../../common/contract/run.js';
import type { TaskSpec } from '../../common/contract/tasks.js';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointF32 } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, ROOT } from './cli.js';

const MERGES = 20;
const PREVIEWS = 4;
const BUDGET = 32e6;
/** Large enough that a preview's head stage (both models' lm_head, 4 MiB each as stored) is a sizeable part of the budget. */
const SHAPE = { layers: 2, hidden: 256, intermediate: 512, vocab: 4096, heads: 4, kvHeads: 2 };
const fr = Math.fround;

let dir: string;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('load');
  a = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'a'), ...SHAPE, seed: 1 });
  b = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'b'), ...SHAPE, seed: 2 });
}, 60_000);
afterAll(removeTempDirs);

function mergeJob(i: number): JobSpec {
  const w = (i + 1) / (MERGES + 1);
  return {
    recipe: { mergeMethod: 'linear', models: [{ model: 'a', parameters: { weight: w } }, { model: 'b', parameters: { weight: 1 - w } }] },
    recipeDir: join(dir, 'models'),
    out: join(dir, 'out', `merge-${i}`),
    force: false,
  } as JobSpec;
}

/** Preview i has 4 + i points, so that none is answered from the cache of another. */
function previewTask(i: number): TaskSpec {
  return {
    kind: 'interpolationBarrier',
    a: 'a',
    b: 'b',
    recipeDir: join(dir, 'models'),
    points: 4 + i,
    probe: { texts: [{ kind: 'bundled', name: 'prose.txt' }], window: 16, stride: 256 },
  } as TaskSpec;
}

/**
 * The scenario, run in its own Node process on the built code (as the app's main process would
 * run it): runs one merge and one preview to warm up (worker threads, matrix-product memory) and
 * takes the resident memory then as the baseline; starts the merges and previews through the
 * service API, cancels four of them, waits for all to end and prints one JSON summary line.
 * Memory is sampled every 5 ms: the budget's accounting, and the process's resident size.
 */
const SCENARIO = `
  const [root, specFile] = process.argv.slice(2);
  const { readFileSync } = await import('node:fs');
  const { createService } = await import(root + '/dist/electron/service/create-service.js');
  const { realEngine } = await import(root + '/dist/electron/service/real-engine.js');
  const { processMemoryBudget } = await import(root + '/dist/electron/engine/executor/memory-budget.js');
  const { jobs, tasks, warm, budget: limit, configDir } = JSON.parse(readFileSync(specFile, 'utf8'));
  const budget = processMemoryBudget(limit);
  // A few milliseconds per tensor, so that a cancel lands inside a running merge.
  const service = createService({ engine: realEngine(), configDir, assetsDir: root + '/assets', host: 'web', version: 'test', threads: 2, testDelayMsPerTensor: 10 });
  const events = [];
  service.onEvent((e) => events.push(e));
  const endOf = (key, id, kinds) => events.find((e) => kinds.includes(e.kind) && e[key] === id)?.kind ?? null;
  const JOB_END = ['job.finished', 'job.failed', 'job.cancelled'];
  const TASK_END = ['task.finished', 'task.failed', 'task.cancelled'];
  const until = async (done) => {
    while (!done()) await new Promise((r) => setTimeout(r, 20));
  };

  // Warm-up, then the baseline: what the process holds with nothing running.
  const warmJob = (await service.api['run.start']({ job: warm.job })).jobId;
  const warmTask = (await service.api['task.start']({ task: warm.task })).taskId;
  await until(() => endOf('jobId', warmJob, JOB_END) && endOf('taskId', warmTask, TASK_END));
  const warmEnds = [endOf('jobId', warmJob, JOB_END), endOf('taskId', warmTask, TASK_END)];
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const rssBase = process.memoryUsage().rss;

  // Every grant of the budget from here on (merge units and task reservations alike).
  const grants = [];
  const acquire = budget.acquire.bind(budget);
  budget.acquire = (bytes, o) => {
    grants.push(bytes);
    return acquire(bytes, o);
  };
  let overBudget = 0;
  let rssPeak = rssBase;
  let budgetPeak = 0;
  // Per preview: the most the budget held while it ran (its own reservation included).
  const running = new Set();
  const heldWhileRunning = {};
  service.onEvent((e) => {
    if (e.kind === 'task.started') running.add(e.taskId);
    if (TASK_END.includes(e.kind)) running.delete(e.taskId);
  });
  // Garbage collected as it goes, so that resident memory measures what is held.
  const collector = setInterval(() => globalThis.gc(), 100);
  const abBase = process.memoryUsage().arrayBuffers;
  // What the previews hold, measured: the main thread's array buffers (weights, activations,
  // matrix-product memory) above the baseline while a preview runs. Merges hold theirs in their
  // worker threads, which the main thread cannot measure; the budget accounts for those.
  let previewMeasuredPeak = 0;
  const sampler = setInterval(() => {
    if (budget.bytesUsed > budget.bytesLimit) overBudget++;
    budgetPeak = Math.max(budgetPeak, budget.bytesUsed);
    for (const id of running) heldWhileRunning[id] = Math.max(heldWhileRunning[id] ?? 0, budget.bytesUsed);
    const mu = process.memoryUsage();
    if (running.size > 0) previewMeasuredPeak = Math.max(previewMeasuredPeak, mu.arrayBuffers - abBase);
    rssPeak = Math.max(rssPeak, mu.rss);
  }, 5);
  const jobIds = [];
  for (const job of jobs) jobIds.push((await service.api['run.start']({ job })).jobId);
  const taskIds = [];
  for (const task of tasks) taskIds.push((await service.api['task.start']({ task })).taskId);
  const cancels = {};
  // Queued: merge 15 and preview 3, before they start.
  cancels.queuedMerge = (await service.api['run.cancel']({ jobId: jobIds[15] })).cancelled;
  cancels.queuedPreview = (await service.api['task.cancel']({ taskId: taskIds[3] })).cancelled;
  // Running: merge 2 once it has written a tensor, preview 1 as soon as it has started.
  const pending = [];
  service.onEvent((e) => {
    if (e.kind === 'job.event' && e.jobId === jobIds[2] && e.event.type === 'tensor' && !('runningMerge' in cancels)) {
      cancels.runningMerge = null;
      pending.push(service.api['run.cancel']({ jobId: jobIds[2] }).then((r) => (cancels.runningMerge = r.cancelled)));
    }
    if (e.kind === 'task.started' && e.taskId === taskIds[1] && !('runningPreview' in cancels)) {
      cancels.runningPreview = null;
      pending.push(service.api['task.cancel']({ taskId: taskIds[1] }).then((r) => (cancels.runningPreview = r.cancelled)));
    }
  });
  const progress = setInterval(() => process.stderr.write('ended ' + events.filter((e) => JOB_END.includes(e.kind) || TASK_END.includes(e.kind)).length + '\\n'), 5000);
  while (!(jobIds.every((id) => endOf('jobId', id, JOB_END)) && taskIds.every((id) => endOf('taskId', id, TASK_END)))) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.all(pending);
  clearInterval(sampler);
  clearInterval(collector);
  clearInterval(progress);
  const summary = {
    jobs: jobIds.map((id) => endOf('jobId', id, JOB_END)),
    tasks: taskIds.map((id) => endOf('taskId', id, TASK_END)),
    points: taskIds.map((id) => events.filter((e) => e.kind === 'task.event' && e.taskId === id && e.event.type === 'point').length),
    failures: events.filter((e) => e.kind === 'job.failed' || e.kind === 'task.failed'),
    cancels,
    overBudget,
    budgetPeak,
    largestGrant: Math.max(0, ...grants),
    heldWhileRunning: taskIds.map((id) => heldWhileRunning[id] ?? 0),
    budgetUsedAfter: budget.bytesUsed,
    warmEnds,
    previewMeasuredPeak,
    rssGrowth: rssPeak - rssBase,
  };
  await service.close();
  process.stdout.write(JSON.stringify(summary) + '\\n');
  process.exit(0);
`;

interface Summary {
  jobs: (string | null)[];
  tasks: (string | null)[];
  points: number[];
  failures: unknown[];
  cancels: Record<string, boolean | null>;
  overBudget: number;
  budgetPeak: number;
  largestGrant: number;
  heldWhileRunning: number[];
  budgetUsedAfter: number;
  warmEnds: (string | null)[];
  previewMeasuredPeak: number;
  rssGrowth: number;
}

/** Runs SCENARIO from a file (not `-e`: --input-type=module would also apply to eval'd worker code). */
async function runScenario(specFile: string): Promise<Summary> {
  const script = join(dir, 'scenario.mjs');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(script, SCENARIO);
  return new Promise((resolve, reject) => {
    // glibc's dynamic mmap threshold off: large freed buffers go back to the system at once, so
    // resident memory follows what is held rather than what malloc keeps for later.
    const env = { ...process.env, MALLOC_MMAP_THRESHOLD_: String(128 * 1024) };
    const child = spawn(process.execPath, ['--expose-gc', script, ROOT, specFile], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      if (process.env.CRUCIBLE_LOAD_VERBOSE) process.stderr.write(d);
    });
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`the scenario ended with ${code}: ${err}${out}`));
      else resolve(JSON.parse(line) as Summary);
    });
  });
}

describe('20 merges and 4 barrier previews through the service', () => {
  it('all complete under the memory budget; cancelling any one (queued or running) leaves the others running', async () => {
    const { writeFile } = await import('node:fs/promises');
    const specFile = join(dir, 'scenario.json');
    const warm = { job: { ...mergeJob(0), out: join(dir, 'warm', 'merge') }, task: { ...previewTask(0), points: 3 } };
    await writeFile(
      specFile,
      JSON.stringify({ jobs: Array.from({ length: MERGES }, (_, i) => mergeJob(i)), tasks: Array.from({ length: PREVIEWS }, (_, i) => previewTask(i)), warm, budget: BUDGET, configDir: join(dir, 'config') }),
    );
    const s = await runScenario(specFile);
    if (process.env.CRUCIBLE_LOAD_VERBOSE) console.log(JSON.stringify({ ...s, failures: s.failures.length }));
    expect(s.warmEnds).toEqual(['job.finished', 'task.finished']);

    expect(s.failures).toEqual([]);
    expect(s.cancels).toEqual({ queuedMerge: true, queuedPreview: true, runningMerge: true, runningPreview: true });
    const cancelledJobs = new Set([2, 15]);
    const cancelledTasks = new Set([1, 3]);
    s.jobs.forEach((end, i) => {
      expect(end, `merge ${i}`).toBe(cancelledJobs.has(i) ? 'job.cancelled' : 'job.finished');
      expect(existsSync(join(dir, 'out', `merge-${i}`)), `merge ${i} output`).toBe(!cancelledJobs.has(i));
    });
    s.tasks.forEach((end, i) => {
      expect(end, `preview ${i}`).toBe(cancelledTasks.has(i) ? 'task.cancelled' : 'task.finished');
      if (!cancelledTasks.has(i)) expect(s.points[i], `preview ${i} points`).toBe(4 + i);
    });
    // Nothing left behind by the cancelled merges.
    expect(readdirSync(join(dir, 'out')).filter((n) => n.startsWith('.crucible-tmp-'))).toEqual([]);
    // The budget was never exceeded, and everything taken was given back.
    expect(s.overBudget).toBe(0);
    expect(s.budgetUsedAfter).toBe(0);
    // The previews drew on the budget: it granted a reservation at least as large as what a
    // preview cannot do without — both models' lm_head as stored plus one formed copy, float32 —
    // which no merge unit asks for (the chunk size keeps the merges' units within half the budget).
    const head = SHAPE.vocab * SHAPE.hidden * 4;
    expect(s.largestGrant).toBeGreaterThanOrEqual(3 * head);
    s.tasks.forEach((end, i) => {
      if (end === 'task.finished') expect(s.heldWhileRunning[i], `preview ${i} held`).toBeGreaterThanOrEqual(3 * head);
    });
    // Measured: what a running preview held stayed within its reservation, so previews and merges
    // together stayed within the budget (above: the budget itself was never exceeded). Garbage is
    // collected every 100 ms, so the measure may include the previous stage's inputs, released
    // but not yet collected: one decoder layer of both models, float32.
    const { hidden: H, intermediate: I } = SHAPE;
    const kv = (SHAPE.kvHeads * H) / SHAPE.heads;
    const layer = 2 * H * H + 2 * kv * H + 3 * I * H + 2 * H;
    expect(s.previewMeasuredPeak).toBeGreaterThan(0);
    expect(s.previewMeasuredPeak).toBeLessThanOrEqual(s.largestGrant + 2 * layer * 4);
    // Coarse: resident memory above the warmed-up baseline stayed under the budget plus a running
    // merge's two worker threads (their heaps are not in the baseline, nor in the budget).
    expect(s.rssGrowth).toBeLessThan(BUDGET + 64e6);

    // A finished merge is right: the weighted mean computed here in float32.
    const w = 19 / 21;
    const merged = await readCheckpointF32(join(dir, 'out', 'merge-18'));
    for (const name of ['model.layers.1.mlp.down_proj.weight', 'model.norm.weight']) {
      const va = a.tensors.get(name)!;
      const vb = b.tensors.get(name)!;
      const got = merged.get(name)!;
      for (let k = 0; k < va.length; k++) {
        const want = fr(fr(fr(w) * va[k]) + fr(fr(1 - w) * vb[k]));
        expect(Math.abs(got[k] - want)).toBeLessThanOrEqual(Math.abs(want) * 2.5e-7);
      }
    }
  }, 600_000);
});

describe('a preview whose compute worker dies', () => {
  it('fails with an error instead of waiting forever (found by the load test: previews hung)', async (ctx) => {
    type MatmulModule = typeof import('../../electron/engine/probe/wasm/wasm-matmul.js');
    const { WasmMatmul } = (await import(join(ROOT, 'dist/electron/engine/probe/wasm/wasm-matmul.js'))) as MatmulModule;
    let m: Awaited<ReturnType<typeof WasmMatmul.create>>;
    try {
      m = await WasmMatmul.create({ threads: 2, smallProduct: 0 });
    } catch (e) {
      ctx.skip(); // no WebAssembly kernel built (npm run build:native): nothing to test
      return;
    }
    const args = () => ({ x: new Float32Array(64 * 32).fill(1), rows: 64, w: new Float32Array(48 * 32).fill(0.5), outDim: 48, inDim: 32, y: new Float32Array(64 * 48) });
    const first = args();
    await m.linear(first);
    expect(first.y[0]).toBe(16);
    await (m as unknown as { workers: { terminate(): Promise<number> }[] }).workers[1].terminate();
    await expect(m.linear(args())).rejects.toThrow(/matmul worker stopped/);
    await m.close();
  });
});
