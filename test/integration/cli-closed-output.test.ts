/**
 * A reader that goes away (`crucible inspect M | head -1`): the CLI stops writing to the closed
 * pipe and finishes the command — no EPIPE stack trace, the command's own exit status, and a merge
 * still completes its output folder.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLlamaCheckpoint } from '../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, startCli } from './cli.js';

let dir: string;
beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-closed-output');
});
afterAll(removeTempDirs);

/** Runs the CLI with its stdout pipe closed by the reader before the CLI writes anything. */
async function runWithClosedStdout(args: string[]) {
  const { child, done } = startCli(args);
  child.stdout!.destroy();
  return done;
}

describe('the CLI when the reader of its output goes away', () => {
  it('inspect: exit 0 and no error on stderr', async () => {
    const ck = await makeLlamaCheckpoint({ dir: join(dir, 'inspect'), layers: 2 });
    const res = await runWithClosedStdout(['inspect', ck.dir]);
    expect(res.stderr).not.toMatch(/EPIPE|Error/);
    expect(res.code).toBe(0);
  });

  it('merge --json: the merge completes its output folder and exits 0', async () => {
    const a = await makeLlamaCheckpoint({ dir: join(dir, 'a'), layers: 2, seed: 1 });
    await makeLlamaCheckpoint({ dir: join(dir, 'b'), layers: 2, seed: 2 });
    const recipe = join(dir, 'linear.yaml');
    await writeFile(recipe, 'merge_method: linear\nmodels:\n  - model: a\n    parameters: {weight: 0.5}\n  - model: b\n    parameters: {weight: 0.5}\n');
    const out = join(dir, 'out');
    const res = await runWithClosedStdout(['merge', recipe, '--out', out, '--json']);
    expect(res.stderr).not.toMatch(/EPIPE|Error/);
    expect(res.code).toBe(0);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
    expect(existsSync(join(out, 'config.json'))).toBe(existsSync(join(a.dir, 'config.json')));
  });
});
