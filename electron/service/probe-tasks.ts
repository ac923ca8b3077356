/**
 * The probe tasks (tasks.ts): barrier along a slider or between two models, sweeps, and the
 * post-merge check, each through the probe engine with the service's shared matrix-product
 * backend and result cache. Points and cells are reported as soon as their losses are known;
 * stage progress at most every PROGRESS_MS. Each reserves its memory from the process-wide budget
 * the merges draw on (waiting while it is full), so previews beside a merge stay within it.
 */
import type { BarrierTaskResult, CheckTaskResult, SweepTaskResult, TaskEvent, TaskResult, TaskSpec } from '../../common/contract/tasks.js';
import type { StageProgress } from '../engine/probe/index.js';
import type { CheckpointInfo } from '../engine/io/types.js';
import { processMemoryBudget } from '../engine/executor/memory-budget.js';
import type { ProbePort } from './probe-port.js';
import { resolveProbeTexts } from './probe-texts.js';
import { resolveUserPath } from './resolve-path.js';
import type { TaskContext } from './task-queue.js';

const PROGRESS_MS = 100;

export interface ProbeTaskEnv {
  port: ProbePort;
  assetsDir: string;
  configDir: string;
}

/** NaN (a loss that could not be computed) and ±∞ cross the wire as null. */
function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** How each probe task is named when its memory is refused. */
const TASK_NAMES: Record<ProbeSpec['kind'], string> = {
  sliderBarrier: 'The barrier preview',
  interpolationBarrier: 'The barrier preview',
  sweep: 'The sweep',
  check: 'The post-merge check',
};

function progressReporter(emit: (e: TaskEvent) => void): (e: StageProgress) => void {
  let last = 0;
  return (e) => {
    const now = Date.now();
    const stageDone = e.variantsDone === e.variants;
    if (!stageDone && now - last < PROGRESS_MS) return;
    last = now;
    emit({
      type: 'stage',
      stage: e.stage,
      stages: e.stages,
      label: e.label,
      layer: e.layer,
      layers: e.layers,
      ...(e.passes !== undefined ? { pass: e.pass, passes: e.passes } : {}),
      variantsDone: e.variantsDone,
      variants: e.variants,
    });
  };
}

type ProbeSpec = Extract<TaskSpec, { kind: 'sliderBarrier' | 'interpolationBarrier' | 'sweep' | 'check' }>;

export function isProbeTask(spec: TaskSpec): spec is ProbeSpec {
  return spec.kind === 'sliderBarrier' || spec.kind === 'interpolationBarrier' || spec.kind === 'sweep' || spec.kind === 'check';
}

/** Recipes with LoRA inputs are opened here (adapters applied in a work folder removed afterwards); others by the probe itself. */
export async function runProbeTask(spec: ProbeSpec, ctx: TaskContext, env: ProbeTaskEnv): Promise<TaskResult> {
  if ((spec.kind === 'sliderBarrier' || spec.kind === 'sweep') && spec.recipe.models?.some((m) => m.lora)) {
    const opened = await env.port.openInputs(spec.recipe, resolveUserPath(spec.recipeDir || '~'), ctx.signal);
    try {
      return await probe(spec, ctx, env, opened.checkpoints);
    } finally {
      await opened.dispose();
    }
  }
  return probe(spec, ctx, env);
}

async function probe(spec: ProbeSpec, ctx: TaskContext, env: ProbeTaskEnv, checkpoints?: ReadonlyMap<string, CheckpointInfo>): Promise<TaskResult> {
  const { port } = env;
  const recipeDir = resolveUserPath(spec.recipeDir || '~');
  const texts = await resolveProbeTexts(spec.probe.texts, { assetsDir: env.assetsDir, recipeDir, port });
  const common = {
    window: spec.probe.window,
    stride: spec.probe.stride,
    signal: ctx.signal,
    matmul: await port.matmul(),
    onProgress: progressReporter(ctx.emit),
    memory: { budget: processMemoryBudget(), task: TASK_NAMES[spec.kind] },
  };
  switch (spec.kind) {
    case 'sliderBarrier': {
      const K = spec.points;
      const r = await port.sliderBarrier({ recipe: spec.recipe, recipeDir, texts, checkpoints }, spec.axis, {
        ...common,
        points: K,
        range: spec.range,
        textByText: spec.probe.textByText,
        cache: port.cache(env.configDir),
        onCell: (c) =>
          ctx.emit({ type: 'point', index: c.index, lambda: c.index / (K - 1), value: c.values[0], losses: c.losses.map(finite), mean: finite(c.mean) }),
      });
      const result: BarrierTaskResult = {
        kind: 'barrier',
        points: r.points.map((p) => ({ lambda: p.lambda, loss: finite(p.loss), value: p.value })),
        barrier: finite(r.barrier),
        texts: r.texts.map((t) => ({ name: t.name, tokens: t.tokens, points: t.points.map((p) => ({ lambda: p.lambda, loss: finite(p.loss) })), barrier: finite(t.barrier) })),
        warnings: r.warnings,
        cached: r.cached,
      };
      return result;
    }
    case 'interpolationBarrier': {
      const K = spec.points;
      const r = await port.interpolationBarrier(resolveUserPath(spec.a, recipeDir), resolveUserPath(spec.b, recipeDir), texts, {
        ...common,
        points: K,
        textByText: spec.probe.textByText,
        cache: port.cache(env.configDir),
        onVariant: (v) =>
          ctx.emit({ type: 'point', index: v.variant, lambda: v.variant / (K - 1), value: null, losses: v.losses.map(finite), mean: finite(mean(v.losses)) }),
      });
      const result: BarrierTaskResult = {
        kind: 'barrier',
        points: r.points.map((p) => ({ lambda: p.lambda, loss: finite(p.loss), value: null })),
        barrier: finite(r.barrier),
        texts: r.texts.map((t) => ({ name: t.name, tokens: t.tokens, points: t.points.map((p) => ({ lambda: p.lambda, loss: finite(p.loss) })), barrier: finite(t.barrier) })),
        warnings: r.warnings,
        // The A–B barrier reports a cache hit by reading nothing.
        cached: r.io.bytesRead === 0,
      };
      return result;
    }
    case 'sweep': {
      const r = await port.recipeSweep({ recipe: spec.recipe, recipeDir, texts, checkpoints }, spec.axes, {
        ...common,
        textByText: spec.probe.textByText,
        cache: port.cache(env.configDir),
        onCell: (c) =>
          ctx.emit({ type: 'cell', index: c.index, values: c.values, losses: c.losses.map(finite), mean: finite(c.mean), ...(c.error ? { error: c.error } : {}) }),
      });
      const result: SweepTaskResult = {
        kind: 'sweep',
        axes: r.axes.map((a) => ({ param: a.param, ...(a.model !== undefined ? { model: a.model } : {}), values: a.values })),
        cells: r.cells.map((c) => ({ values: c.values, losses: c.losses.map(finite), mean: finite(c.mean), ...(c.error ? { error: c.error } : {}) })),
        best: r.best,
        texts: r.texts,
        warnings: r.warnings,
        cached: r.cached,
      };
      return result;
    }
    case 'check': {
      const r = await port.checkWrittenModel(resolveUserPath(spec.out, recipeDir), texts, spec.preview, common);
      const result: CheckTaskResult = {
        kind: 'check',
        ok: r.ok,
        written: r.written.map((t) => ({ name: t.name, loss: finite(t.loss), tokens: t.tokens })),
        preview: r.preview,
        maxDifference: finite(r.maxDifference),
        tolerance: port.writtenTolerance,
        ...(r.message ? { message: r.message } : {}),
      };
      return result;
    }
  }
}
