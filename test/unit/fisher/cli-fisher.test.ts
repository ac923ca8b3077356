/** `crucible fisher estimate` and `crucible fisher merge` in-process: JSON lines, files written, usage and input errors. */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fisherCommand } from '../../../electron/cli/commands/fisher.js';
import { isBadInput } from '../../../electron/cli/exit-codes.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { captureStdout } from '../probe/cli-capture.js';
import { FIXTURES } from '../probe/fixture-forward.js';

afterAll(removeTempDirs);
const signal = new AbortController().signal;
const json = async (args: string[]) => (await captureStdout((r) => fisherCommand(args, r, signal))).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('crucible fisher', () => {
  it('estimates a Fisher file from a text, then merges a model with itself through it', async () => {
    const dir = await makeTempDir('cli-fisher');
    const text = join(dir, 'probe.txt');
    await writeFile(text, 'for (int i = 0; i < n; i++) { sum += a[i]; }');
    const model = join(FIXTURES, 'tiny-gpt2');
    const fisher = join(dir, 'gpt2.fisher.safetensors');
    const est = await json(['estimate', model, '--out', fisher, '--text', text, '--window', '16', '--stride', '16', '--json']);
    expect(est.filter((l) => l.type === 'fisher').map((l) => l.done)).toEqual([1, 2, 3]);
    expect(est.at(-1)).toMatchObject({ type: 'done', out: fisher, kind: 'language-model', count: 3 });
    expect(typeof est.at(-1)!.loss).toBe('number');

    const out = join(dir, 'merged');
    const merged = await json(['merge', '--model', model, '--fisher', fisher, '--weight', '1', '--model', model, '--fisher', fisher, '--weight', '2', '--out', out, '--json']);
    expect(merged.at(-1)).toMatchObject({ type: 'done', out });
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
    expect(existsSync(join(out, 'config.json'))).toBe(true);
  });

  it('refuses bad usage and bad input with errors the CLI maps to exit status 2', async () => {
    const dir = await makeTempDir('cli-fisher-bad');
    const model = join(FIXTURES, 'tiny-llama');
    const cases = [
      ['nonsense'],
      ['estimate', model],
      ['estimate', model, '--out', join(dir, 'f'), '--labels', 'maybe'],
      ['estimate', join(dir, 'nothing'), '--out', join(dir, 'f')],
      ['merge', '--model', model, '--out', join(dir, 'o')],
      ['merge', '--model', model, '--fisher', join(dir, 'missing.safetensors'), '--out', join(dir, 'o')],
      ['merge', '--model', model, '--fisher', 'x', '--weight', '1', '--model', model, '--fisher', 'y', '--out', join(dir, 'o')],
    ];
    for (const args of cases) {
      const err = await captureStdout((r) => fisherCommand(args, r, signal)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isBadInput(err), `${args.join(' ')}: ${String(err)}`).toBe(true);
    }
  });
});
