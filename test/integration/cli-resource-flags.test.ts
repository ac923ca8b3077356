/**
 * --threads and --memory-budget through the built CLI: an unreasonable value is a usage error
 * (exit 2, the flag, the accepted range and why on stderr or in the --json error) before any model
 * is read or any output written, on every command that takes the flag.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLlamaCheckpoint } from '../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, jsonLines, runCli } from './cli.js';

let dir: string;
let recipe: string;
beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-resource-flags');
  await makeLlamaCheckpoint({ dir: join(dir, 'm'), layers: 1, seed: 1 });
  recipe = join(dir, 'recipe.yaml');
  await writeFile(recipe, 'merge_method: linear\nmodels:\n  - model: m\n    parameters: {weight: 1}\n');
});
afterAll(removeTempDirs);

describe('crucible merge --threads', () => {
  it('1000: exit 2 naming the flag and the range, nothing written', async () => {
    const out = join(dir, 'out-threads');
    const res = await runCli(['merge', recipe, '--out', out, '--threads', '1000']);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/--threads must be an integer from 1 to \d+ \(got '1000'\): this machine has \d+ cores?, more workers than cores add no speed/);
    expect(existsSync(out)).toBe(false);
  });

  it('with --json: the error object', async () => {
    const res = await runCli(['merge', recipe, '--out', join(dir, 'out-threads-json'), '--threads', '0', '--json']);
    expect(res.code).toBe(2);
    const err = jsonLines(res.stdout).at(-1)!;
    expect(err).toMatchObject({ type: 'error', file: null, tensor: null });
    expect(String(err.message)).toMatch(/^--threads must be an integer from 1 to/);
  });

  it('256 is accepted (the run completes with a small model)', async () => {
    const out = join(dir, 'out-threads-256');
    const res = await runCli(['merge', recipe, '--out', out, '--threads', '256']);
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  });
});

describe('crucible verify --threads', () => {
  it('1000: exit 2 with the same message', async () => {
    const res = await runCli(['verify', join(dir, 'anything'), '--threads', '1000']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--threads must be an integer from 1 to \d+ \(got '1000'\)/);
  });
});

describe('--memory-budget', () => {
  it.each(['0', '1KB', '100MB'])('merge --memory-budget %s: exit 2 naming the flag and 256 MiB, nothing written', async (small) => {
    const out = join(dir, `out-budget-${small}`);
    const res = await runCli(['merge', recipe, '--out', out, '--memory-budget', small]);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toContain(`--memory-budget ${small} is too small: the smallest memory budget accepted is 256 MiB (268435456 bytes)`);
    expect(existsSync(out)).toBe(false);
  });

  it('merge --memory-budget 256MiB runs', async () => {
    const out = join(dir, 'out-budget-ok');
    const res = await runCli(['merge', recipe, '--out', out, '--memory-budget', '256MiB']);
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  });

  it('probe loss --memory-budget 1KB: exit 2 with the same message', async () => {
    const res = await runCli(['probe', 'loss', join(dir, 'm'), '--memory-budget', '1KB', '--json']);
    expect(res.code).toBe(2);
    expect(String(jsonLines(res.stdout).at(-1)!.message)).toContain('--memory-budget 1KB is too small: the smallest memory budget accepted is 256 MiB');
  });
});
