/** `crucible probe loss` (in-process): JSON shape and values against the PyTorch reference. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeCommand } from '../../../electron/cli/commands/probe.js';
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
});

