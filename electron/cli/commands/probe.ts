/**
 * `crucible probe loss MODEL --text FILE [--window N] [--stride N] [--json]` and
 * `crucible probe barrier A B --text FILE [--points K] [--window N] [--stride N] [--json]`.
 * --text may be repeated; without it the bundled probe texts (assets/probe-texts/) are used.
 * A probe reserves its memory from the process memory budget (--memory-budget, as for merges) as
 * the app's barrier preview does: one larger than the whole budget is refused (exit 2) before any
 * weight is read.
 */
import { parseArgs } from 'node:util';
import { defaultMemoryBudget, processMemoryBudget } from '../../engine/executor/memory-budget.js';
import type { MemoryReservation } from '../../engine/executor/memory-need.js';
import { interpolationBarrier } from '../../engine/probe/barrier/interpolation-barrier.js';
import { probeLoss } from '../../engine/probe/probe-loss.js';
import { bestMatmul } from '../../engine/probe/wasm/wasm-matmul.js';
import { bundledProbeTextPaths, readProbeText, type ProbeText } from '../../engine/probe/text/probe-text.js';
import { UsageError } from '../exit-codes.js';
import { memoryBudgetFlag } from '../resource-flags.js';
import type { Reporter } from '../output.js';
import type { MatmulBackend } from '../../engine/probe/math/matmul.js';

export const PROBE_USAGE = `  crucible probe loss MODEL [--text FILE]... [--window N] [--stride N] [--memory-budget SIZE] [--json]
  crucible probe barrier A B [--text FILE]... [--points K] [--window N] [--stride N] [--memory-budget SIZE] [--json]`;

function intOption(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min} (got ${JSON.stringify(v)})`);
  return n;
}

async function probeTexts(files: string[] | undefined): Promise<ProbeText[]> {
  const paths = files && files.length > 0 ? files : bundledProbeTextPaths();
  return Promise.all(paths.map(readProbeText));
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(6) : String(x);
}

export async function probeCommand(args: string[], r: Reporter, signal: AbortSignal): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      text: { type: 'string', multiple: true },
      window: { type: 'string' },
      stride: { type: 'string' },
      points: { type: 'string' },
      'memory-budget': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const window = intOption(values.window, 'window', 2);
  const stride = intOption(values.stride, 'stride', 1);
  const budget = processMemoryBudget(memoryBudgetFlag(values['memory-budget']) ?? defaultMemoryBudget());
  if (sub !== 'loss' && sub !== 'barrier') throw new UsageError(`unknown probe command ${JSON.stringify(sub ?? '')}\n${PROBE_USAGE}`);
  // Matrix products on WebAssembly SIMD workers when the kernel is built, else TypeScript.
  const { matmul, fallbackReason } = await bestMatmul();
  if (fallbackReason && process.env.CRUCIBLE_DEBUG) r.warn(`matrix products in TypeScript: ${fallbackReason}`);
  try {
    const task = sub === 'loss' ? 'The loss probe' : 'The barrier probe';
    await run(sub, positionals, values, { window, stride, matmul, memory: { budget, task } }, r, signal);
  } finally {
    await matmul.close?.();
  }
}

interface Common {
  window?: number;
  stride?: number;
  matmul: MatmulBackend;
  memory: MemoryReservation;
}

async function run(
  sub: 'loss' | 'barrier',
  positionals: string[],
  values: { text?: string[]; points?: string },
  { window, stride, matmul, memory }: Common,
  r: Reporter,
  signal: AbortSignal,
): Promise<void> {
  switch (sub) {
    case 'loss': {
      if (positionals.length !== 1) throw new UsageError(`crucible probe loss takes one MODEL\n${PROBE_USAGE}`);
      if (values.points !== undefined) throw new UsageError('--points belongs to crucible probe barrier');
      const texts = await probeTexts(values.text);
      const res = await probeLoss(positionals[0], texts, { window, stride, signal, matmul, memory });
      if (r.json) {
        const out: Record<string, unknown> = { loss: res.loss, tokens: res.tokens };
        if (texts.length > 1) out.texts = res.texts;
        process.stdout.write(JSON.stringify(out) + '\n');
        return;
      }
      for (const t of res.texts) r.info(`${t.name}: ${fmt(t.loss)} nats/token over ${t.tokens} predicted tokens`);
      if (texts.length > 1) r.info(`mean: ${fmt(res.loss)} nats/token`);
      return;
    }
    case 'barrier': {
      if (positionals.length !== 2) throw new UsageError(`crucible probe barrier takes two models A B\n${PROBE_USAGE}`);
      const points = intOption(values.points, 'points', 2) ?? 11;
      // The barrier is the largest rise above the chord at an interior point: two points have none.
      if (points === 2) r.warn('--points 2 evaluates only the endpoints A and B: the barrier is 0 by definition; use --points 3 or more to look between them');
      const texts = await probeTexts(values.text);
      const res = await interpolationBarrier(positionals[0], positionals[1], texts, {
        window,
        stride,
        points,
        signal,
        matmul,
        memory,
        onVariant: (e) => {
          if (!r.json) r.info(`λ = ${(e.variant / (points - 1)).toFixed(3)}: ${e.losses.map(fmt).join('  ')}`);
        },
      });
      for (const w of res.warnings) r.warn(w);
      if (r.json) {
        const out: Record<string, unknown> = { points: res.points, barrier: res.barrier };
        if (texts.length > 1) out.texts = res.texts.map((t) => ({ name: t.name, tokens: t.tokens, points: t.points, barrier: t.barrier }));
        process.stdout.write(JSON.stringify(out) + '\n');
        return;
      }
      for (const t of res.texts) r.info(`${t.name}: barrier ${fmt(t.barrier)} nats (endpoints ${fmt(t.points[0].loss)}, ${fmt(t.points[t.points.length - 1].loss)}; ${t.tokens} tokens)`);
      if (texts.length > 1) r.info(`mean: barrier ${fmt(res.barrier)} nats`);
      return;
    }
  }
}
