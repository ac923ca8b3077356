/** `crucible align` in-process: JSON lines, output folder, usage and input errors. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alignCommand } from '../../../electron/cli/commands/align.js';
import { isBadInput } from '../../../electron/cli/exit-codes.js';
import { readCheckpointRaw } from '../../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { permutedCopy } from './permuted-copy.js';
import { captureStdout } from '../probe/cli-capture.js';
import { FIXTURES } from '../probe/fixture-forward.js';

afterAll(removeTempDirs);
const signal = new AbortController().signal;

describe('crucible align', () => {
  it('writes the aligned model and reports progress and a done line as JSON', async () => {
    const out = join(await makeTempDir('cli-align'), 'aligned');
    const model = join(FIXTURES, 'tiny-gpt2');
    const lines = (await captureStdout((r) => alignCommand([model, model, '--out', out, '--seed', '7', '--json'], r, signal))).map((l) => JSON.parse(l));
    expect(lines.every((l) => typeof l.type === 'string')).toBe(true);
    expect(lines.filter((l) => l.type === 'align').length).toBeGreaterThan(0);
    const done = lines.at(-1);
    expect(done).toMatchObject({ type: 'done', out, sweeps: 1, converged: true });
    for (const f of ['model.safetensors', 'config.json', 'permutations.json']) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('GPT-2: the issue’s JSON (groups with name, before, after, moved; objectiveBefore/After), each group’s moved units as many as the permutation applied; the same seed gives the same bits', async () => {
    const { dir: permuted, perms } = await permutedCopy('tiny-gpt2', 5);
    const model = join(FIXTURES, 'tiny-gpt2');
    const tmp = await makeTempDir('cli-align-gpt2');
    const run = async (out: string, seed: string) =>
      (await captureStdout((r) => alignCommand([model, permuted, '--out', out, '--seed', seed, '--json'], r, signal))).map((l) => JSON.parse(l) as Record<string, unknown>).at(-1)!;
    const done = await run(join(tmp, 'one'), '7');
    const groups = done.groups as { name: string; before: number; after: number; moved: number }[];
    // GPT-2 (spec §4): the residual stream, and per layer the MLP units and the heads of c_attn's q, k and v blocks.
    expect(groups.map((g) => g.name).sort()).toEqual(['layer.0.attention', 'layer.0.mlp', 'layer.1.attention', 'layer.1.mlp', 'residual']);
    const nonFixed = (p: Int32Array | undefined) => (p ? p.filter((v, i) => v !== i).length : 0);
    const applied: Record<string, number> = {
      residual: nonFixed(perms.get('residual')),
      'layer.0.mlp': nonFixed(perms.get('layer.0.mlp')),
      'layer.1.mlp': nonFixed(perms.get('layer.1.mlp')),
      'layer.0.attention': nonFixed(perms.get('layer.0.heads')),
      'layer.1.attention': nonFixed(perms.get('layer.1.heads')),
    };
    for (const g of groups) {
      expect(Object.keys(g)).toEqual(expect.arrayContaining(['name', 'before', 'after', 'moved']));
      // Aligning back undoes the permutation: as many units move as it displaced, and the group matches better.
      expect(g.moved, g.name).toBe(applied[g.name]);
      expect(g.after, g.name).toBeGreaterThan(g.before);
    }
    expect(applied.residual).toBeGreaterThan(30);
    expect(done.objectiveAfter as number).toBeGreaterThan(done.objectiveBefore as number);
    const again = await run(join(tmp, 'two'), '7');
    expect(again.groups).toEqual(done.groups);
    const a = await readCheckpointRaw(join(tmp, 'one'));
    const b = await readCheckpointRaw(join(tmp, 'two'));
    for (const [name, t] of a) expect(Buffer.from(b.get(name)!.bytes).equals(Buffer.from(t.bytes)), name).toBe(true);
    expect(await readFile(join(tmp, 'two', 'permutations.json'), 'utf8')).toBe(await readFile(join(tmp, 'one', 'permutations.json'), 'utf8'));
  });

  it('refuses bad usage and bad input with errors the CLI maps to exit status 2', async () => {
    const dir = await makeTempDir('cli-align-bad');
    const model = join(FIXTURES, 'tiny-llama');
    const cases: string[][] = [[model], [model, model], [model, model, '--out', join(dir, 'o'), '--seed', 'x'], [model, join(dir, 'missing'), '--out', join(dir, 'o')], [model, join(FIXTURES, 'tiny-gpt2'), '--out', join(dir, 'o')]];
    for (const args of cases) {
      const err = await captureStdout((r) => alignCommand(args, r, signal)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isBadInput(err), `${args.join(' ')}: ${String(err)}`).toBe(true);
    }
  });
});
