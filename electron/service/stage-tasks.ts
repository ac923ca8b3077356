/**
 * Issue 6's stages as tasks: alignment of B onto A into the Align node's folder, and a Fisher
 * estimated on probe text into the Fisher node's file. A stage whose output already holds the same
 * work (same inputs' headers and settings for an alignment; same model and texts for a Fisher) is
 * not recomputed: its stored result comes back marked `skipped`. An output that is not ours is
 * never replaced.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlignTaskResult, FisherPlan, FisherTaskResult, ProbeSettings, TaskSpec } from '../../common/contract/tasks.js';
import type { EnginePort } from './engine-port.js';
import { resolveProbeTexts } from './probe-texts.js';
import { resolveUserPath } from './resolve-path.js';
import { fail } from './service-error.js';
import { processMemoryBudget } from '../engine/executor/memory-budget.js';
import type { TaskContext } from './task-queue.js';

const STAMP = 'crucible-stage.json';
const STEP_MS = 100;

export type StageSpec = Extract<TaskSpec, { kind: 'align' | 'fisherEstimate' }>;

export function isStageTask(spec: TaskSpec): spec is StageSpec {
  return spec.kind === 'align' || spec.kind === 'fisherEstimate';
}

export interface StageEnv {
  engine: EnginePort;
  assetsDir: string;
}

interface AlignStamp {
  kind: 'align';
  reference: string;
  model: string;
  seed: number;
  maxSweeps: number;
  headers: { reference: string[]; model: string[] };
  result: Omit<AlignTaskResult, 'skipped'>;
}

async function readStamp(folder: string): Promise<AlignStamp | null> {
  try {
    const s = JSON.parse(await readFile(join(folder, STAMP), 'utf8')) as AlignStamp;
    return s && s.kind === 'align' ? s : null;
  } catch {
    return null;
  }
}

function throttled<T>(emit: (e: T) => void): (e: T, last: boolean) => void {
  let at = 0;
  return (e, last) => {
    const now = Date.now();
    if (!last && now - at < STEP_MS) return;
    at = now;
    emit(e);
  };
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function texts(probe: ProbeSettings, env: StageEnv, recipeDir: string) {
  const port = env.engine.probe;
  if (!port) return fail('not-implemented', 'Probe texts cannot be read by this engine.');
  return resolveProbeTexts(probe.texts, { assetsDir: env.assetsDir, recipeDir, port });
}

export async function runStageTask(spec: StageSpec, ctx: TaskContext, env: StageEnv): Promise<AlignTaskResult | FisherTaskResult> {
  const stages = env.engine.stages;
  if (!stages) return fail('not-implemented', 'Alignment and Fisher estimation are not available in this engine.');
  const recipeDir = resolveUserPath(spec.recipeDir || '~');
  const step = throttled(ctx.emit);
  if (spec.kind === 'align') {
    const reference = resolveUserPath(spec.reference, recipeDir);
    const model = resolveUserPath(spec.model, recipeDir);
    const out = resolveUserPath(spec.out, recipeDir);
    const A = await env.engine.openCheckpoint(reference);
    const B = await env.engine.openCheckpoint(model);
    const headers = { reference: A.files.map((f) => f.headerSha256), model: B.files.map((f) => f.headerSha256) };
    const stamp = existsSync(out) ? await readStamp(out) : null;
    const sameWork =
      stamp &&
      stamp.reference === reference &&
      stamp.model === model &&
      stamp.seed === spec.seed &&
      stamp.maxSweeps === spec.maxSweeps &&
      same(stamp.headers.reference, headers.reference) &&
      same(stamp.headers.model, headers.model);
    if (sameWork && !spec.force) return { ...stamp.result, skipped: true };
    // Replace only a folder an earlier alignment wrote.
    const ours = stamp !== null || existsSync(join(out, 'permutations.json'));
    if (existsSync(out) && !ours) fail('input', `${out} already exists and was not written by an Align node: choose another folder.`, { file: out, nodeId: spec.nodeId });
    const res = await stages.align(reference, model, out, {
      seed: spec.seed,
      maxSweeps: spec.maxSweeps,
      force: ours,
      signal: ctx.signal,
      memory: { budget: processMemoryBudget(), task: 'The alignment' },
      onProgress: (e) => step({ type: 'step', done: e.step, total: e.groups, label: `sweep ${e.sweep}: ${e.group}` }, e.step === e.groups),
    });
    const aligned = await env.engine.openCheckpoint(out);
    const result: Omit<AlignTaskResult, 'skipped'> = {
      kind: 'align',
      out,
      sweeps: res.sweeps,
      converged: res.converged,
      initialObjective: res.initialObjective,
      objective: res.objective,
      groups: stages.alignGroups(A, B, aligned, res.permutations),
      warnings: res.warnings,
    };
    const written: AlignStamp = { kind: 'align', reference, model, seed: spec.seed, maxSweeps: spec.maxSweeps, headers, result };
    await writeFile(join(out, STAMP), JSON.stringify(written) + '\n');
    return { ...result, skipped: false };
  }

  const model = resolveUserPath(spec.model, recipeDir);
  const out = resolveUserPath(spec.out, recipeDir);
  const probeTexts = await texts(spec.probe, env, recipeDir);
  const names = probeTexts.map((t) => t.name);
  const info = await stages.fisherFileInfo(out);
  if (info && !spec.force && info.model === model && same(info.sources, names)) {
    return { kind: 'fisher', out, skipped: true, estimator: info.estimator, count: info.count, sources: info.sources, loss: null };
  }
  if (existsSync(out) && !info) fail('input', `${out} exists and is not a Crucible Fisher file: choose another file.`, { file: out, nodeId: spec.nodeId });
  const res = await stages.estimateFisher(model, probeTexts, out, {
    window: spec.probe.window,
    stride: spec.probe.stride,
    force: info !== null,
    signal: ctx.signal,
    memory: { budget: processMemoryBudget(), task: 'The Fisher estimate' },
    onProgress: (e) => step({ type: 'step', done: e.done, total: e.total, label: 'windows' }, e.done === e.total),
  });
  return { kind: 'fisher', out: res.out, skipped: false, estimator: res.estimator, count: res.count, sources: names, loss: res.loss ?? null };
}

/** The work an in-app Fisher estimate would be (fisher.plan). */
export async function planFisher(p: { model: string; out: string; recipeDir: string; probe: ProbeSettings }, env: StageEnv): Promise<FisherPlan> {
  const stages = env.engine.stages;
  if (!stages) return fail('not-implemented', 'Fisher estimation is not available in this engine.');
  const recipeDir = resolveUserPath(p.recipeDir || '~');
  const model = resolveUserPath(p.model, recipeDir);
  const ck = await env.engine.openCheckpoint(model);
  const probeTexts = await texts(p.probe, env, recipeDir);
  const plan = await stages.fisherPlan(ck, probeTexts, { window: p.probe.window, stride: p.probe.stride });
  const info = p.out.trim() ? await stages.fisherFileInfo(resolveUserPath(p.out, recipeDir)) : null;
  const names = probeTexts.map((t) => t.name);
  const existing = info && info.model === model && same(info.sources, names) ? { estimator: info.estimator, count: info.count, sources: info.sources } : null;
  return { ...plan, existing };
}
