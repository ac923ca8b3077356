/**
 * `crucible probe loss` (in-process): JSON shape and values against the PyTorch reference; a probe
 * larger than --memory-budget is refused as bad input.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeCommand } from '../../../electron/cli/commands/probe.js';
import { isBadInput } from '../../../electron/cli/exit-codes.js';
import { defaultMemoryBudget, processMemoryBudget } from '../../../electron/engine/executor/memory-budget.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { captureStdout } from './cli-capture.js';
import { FIXTURES, readReference } from './fixture-forward.js';

afterAll(removeTempDirs);

async function textFile(content: string): Promise<string> {
  const dir = await makeTempDir('probe-cli');
  const file = join(dir, 'probe.txt');
  await writeFile(file, content);
  return file;
}

describe('crucible probe loss', () => {
  it('prints {"loss", "tokens"} with --json', async () => {
    const ref = readReference('tiny-qwen2');
    const file = await textFile('The quick brown fox jump');
    const signal = new AbortController().signal;
    const lines = await captureStdout((r) => probeCommand(['loss', join(FIXTURES, 'tiny-qwen2'), '--text', file, '--json'], r, signal));
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]) as { loss: number; tokens: number };
    expect(Object.keys(out).sort()).toEqual(['loss', 'tokens']);
    expect(out.tokens).toBe(23);
    expect(Math.abs(out.loss - ref.per_sequence_loss[0])).toBeLessThanOrEqual(1e-5);
  });

  it('refuses a bad --window as a usage error', async () => {
    const signal = new AbortController().signal;
    await expect(captureStdout((r) => probeCommand(['loss', 'x', '--window', '1'], r, signal))).rejects.toMatchObject({ name: 'UsageError' });
  });
});

describe('crucible probe barrier', () => {
  it('prints {"points": [{lambda, loss}], "barrier"} with --json; endpoints are the two models\' losses', async () => {
    const refA = readReference('tiny-llama');
    const refB = readReference('tiny-llama-bf16');
    const file = await textFile('The quick brown fox jump');
    const signal = new AbortController().signal;
    const args = ['barrier', join(FIXTURES, 'tiny-llama'), join(FIXTURES, 'tiny-llama-bf16'), '--text', file, '--points', '5', '--json'];
    const lines = await captureStdout((r) => probeCommand(args, r, signal));
    const out = JSON.parse(lines.at(-1)!) as { points: { lambda: number; loss: number }[]; barrier: number };
    expect(Object.keys(out).sort()).toEqual(['barrier', 'points']);
    expect(out.points.map((p) => p.lambda)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Math.abs(out.points[0].loss - refA.per_sequence_loss[0])).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(out.points[4].loss - refB.per_sequence_loss[0])).toBeLessThanOrEqual(1e-5);
    const chord = out.points.map((p) => p.loss - ((1 - p.lambda) * out.points[0].loss + p.lambda * out.points[4].loss));
    expect(out.barrier).toBeCloseTo(Math.max(...chord), 12);
  });

  it('--points 2 warns that the barrier of the endpoints alone is 0 by definition', async () => {
    const file = await textFile('The quick brown fox jump');
    const signal = new AbortController().signal;
    const args = ['barrier', join(FIXTURES, 'tiny-llama'), join(FIXTURES, 'tiny-llama-bf16'), '--text', file, '--points', '2', '--json'];
    const lines = (await captureStdout((r) => probeCommand(args, r, signal))).map((l) => JSON.parse(l) as { type?: string; message?: string; barrier?: number });
    const warnings = lines.filter((l) => l.type === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/--points 2 .*barrier is 0 by definition.*--points 3/);
    expect(lines.at(-1)!.barrier).toBe(0);
  });
});

describe('crucible probe --memory-budget', () => {
  it('refuses a probe larger than the budget (exit 2: bad input), saying what it needs; without the flag the default budget applies again', async () => {
    // 4,200 × 25 = 105,000 characters, a token each for this byte-level tokenizer: the working
    // buffers alone (one layer's scratch for every token, lm-program.ts) far exceed the smallest
    // budget accepted, 256 MiB.
    const file = await textFile('The quick brown fox jump '.repeat(4200));
    const signal = new AbortController().signal;
    const loss = captureStdout((r) => probeCommand(['loss', join(FIXTURES, 'tiny-qwen2'), '--text', file, '--memory-budget', '256MiB', '--json'], r, signal));
    const err = await loss.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.name).toBe('MemoryBudgetError');
    expect(err?.message).toMatch(/^The loss probe needs about .* of memory \(the weights of its largest stage .*\), more than the whole memory budget of 256(\.0+)? MiB: raise the memory budget or use shorter probe texts\.$/);
    expect(isBadInput(err)).toBe(true);
    expect(processMemoryBudget().bytesUsed).toBe(0);

    const barrier = ['barrier', join(FIXTURES, 'tiny-llama'), join(FIXTURES, 'tiny-llama-bf16'), '--text', file, '--points', '3', '--memory-budget', '256MiB'];
    await expect(captureStdout((r) => probeCommand(barrier, r, signal))).rejects.toMatchObject({ name: 'MemoryBudgetError', message: expect.stringMatching(/^The barrier probe needs about .*use fewer points or shorter probe texts\.$/) });

    const short = await textFile('The quick brown fox jump');
    const lines = await captureStdout((r) => probeCommand(['loss', join(FIXTURES, 'tiny-qwen2'), '--text', short, '--json'], r, signal));
    expect(JSON.parse(lines[0])).toMatchObject({ tokens: 23 });
    expect(processMemoryBudget().bytesLimit).toBe(defaultMemoryBudget());
  });

  it('refuses a malformed --memory-budget as a usage error', async () => {
    const signal = new AbortController().signal;
    await expect(captureStdout((r) => probeCommand(['loss', 'x', '--memory-budget', 'lots'], r, signal))).rejects.toMatchObject({ name: 'UsageError', message: expect.stringContaining('--memory-budget') });
  });

  it('refuses a budget under 256 MiB as a usage error before reading anything (the model path is not even looked at)', async () => {
    const signal = new AbortController().signal;
    for (const small of ['0', '10KiB', '255MiB']) {
      await expect(captureStdout((r) => probeCommand(['loss', 'no-such-model', '--memory-budget', small], r, signal))).rejects.toMatchObject({
        name: 'UsageError',
        message: expect.stringMatching(new RegExp(`^--memory-budget ${small} is too small: the smallest memory budget accepted is 256 MiB`)),
      });
    }
  });
});
