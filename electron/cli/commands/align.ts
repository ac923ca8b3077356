/**
 * `crucible align A B --out DIR [--seed N] [--max-sweeps N] [--shard-size SIZE] [--force] [--json]`:
 * Git Re-Basin weight matching of B onto A; writes B's permuted weights (same function, same
 * dtypes), its config and tokenizer files, and permutations.json into DIR.
 */
import { parseArgs } from 'node:util';
import { openCheckpoint } from '../../engine/io/checkpoint.js';
import { alignGroups } from '../../engine/rebasin/align-groups.js';
import { resolve } from 'node:path';
import { parseSize } from '../../engine/io/size.js';
import { alignCheckpoint } from '../../engine/rebasin/align-checkpoint.js';
import { UsageError } from '../exit-codes.js';
import type { Reporter } from '../output.js';

export const ALIGN_USAGE = `  crucible align A B --out DIR [--seed N] [--max-sweeps N] [--shard-size SIZE] [--force] [--json]`;

function intOption(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(v)})`);
  return n;
}

export async function alignCommand(args: string[], r: Reporter, signal: AbortSignal): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      seed: { type: 'string' },
      'max-sweeps': { type: 'string' },
      'shard-size': { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 2) throw new UsageError(`crucible align takes two models A B (B is aligned onto A)\n${ALIGN_USAGE}`);
  if (!values.out) throw new UsageError(`crucible align needs --out DIR\n${ALIGN_USAGE}`);
  let shardSize: number | undefined;
  if (values['shard-size'] !== undefined) {
    try {
      shardSize = parseSize(values['shard-size']);
    } catch (err) {
      throw new UsageError(`--shard-size: ${(err as Error).message}`);
    }
  }
  const seed = intOption(values.seed, 'seed', 0, 0xffffffff);
  const res = await alignCheckpoint(resolve(positionals[0]), resolve(positionals[1]), values.out, {
    seed,
    maxSweeps: intOption(values['max-sweeps'], 'max-sweeps', 1, 100_000),
    shardSize,
    force: values.force ?? false,
    signal,
    onProgress: (e) => {
      r.event(e);
      if (!r.json && e.step === e.groups) r.info(`sweep ${e.sweep}: ${e.groups} permutation groups`);
    },
  });
  for (const w of res.warnings) r.warn(w);
  // Per permutation group: the matching objective over the tensors it permutes, before and after, and units moved.
  const [A, B, aligned] = await Promise.all([positionals[0], positionals[1], res.out].map((p) => openCheckpoint(resolve(p))));
  const groups = alignGroups(A, B, aligned, res.permutations).map(({ id, ...g }) => ({ name: id, ...g }));
  if (!r.json) for (const g of groups) r.info(`  ${g.name}: ${g.before.toPrecision(6)} → ${g.after.toPrecision(6)}, ${g.moved}/${g.units} moved`);
  r.event({
    type: 'done',
    out: res.out,
    sweeps: res.sweeps,
    converged: res.converged,
    initialObjective: res.initialObjective,
    objective: res.objective,
    groups,
    objectiveBefore: res.initialObjective,
    objectiveAfter: res.objective,
  });
  r.info(
    `wrote ${res.out}: ${res.converged ? 'converged' : 'stopped'} after ${res.sweeps} sweep${res.sweeps === 1 ? '' : 's'}; ` +
      `Σ⟨A, B⟩ ${res.initialObjective.toPrecision(6)} → ${res.objective.toPrecision(6)}`,
  );
}
