/** `crucible align` in-process: JSON lines, output folder, usage and input errors. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alignCommand } from '../../../electron/cli/commands/align.js';
import { isBadInput } from '../../../electron/cli/exit-codes.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
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
