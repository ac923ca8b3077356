/** The forward pass against PyTorch's reference logits and losses (test/fixtures/README.md: tolerances 1e-4 / 1e-5). */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckpointInfo } from '../../../electron/engine/io/types.js';
import { openLoraModel } from '../../../electron/engine/lora/lora-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { FIXTURES as FIXTURE_DIR, maxAbsDiff, readReference, runFixture } from './fixture-forward.js';

const FIXTURES = ['tiny-llama', 'tiny-qwen2', 'tiny-gpt2', 'tiny-llama-bf16', 'tiny-lora'];

afterAll(removeTempDirs);

async function modelOf(fixture: string): Promise<CheckpointInfo | undefined> {
  if (fixture !== 'tiny-lora') return undefined;
  // tiny-llama with the PEFT adapter applied by the engine's LoRA loader (merged, float32).
  const workDir = await makeTempDir('lora');
  return (await openLoraModel(join(FIXTURE_DIR, 'tiny-llama'), join(FIXTURE_DIR, 'tiny-lora'), { workDir })).checkpoint;
}

describe.each(FIXTURES)('forward pass of %s', (fixture) => {
  it('matches the reference logits (1e-4), losses (1e-5) and layer-0 hidden state (1e-5)', async () => {
    const ref = readReference(fixture);
    const run = await runFixture(fixture, undefined, await modelOf(fixture));
    for (let b = 0; b < 2; b++) {
      ref.first_positions.forEach((t, i) => {
        expect(maxAbsDiff(run.logits[b][t], ref.logits_first_positions[b][i]), `seq ${b} pos ${t}`).toBeLessThanOrEqual(1e-4);
      });
      expect(maxAbsDiff(run.logits[b][ref.last_position], ref.logits_last_position[b]), `seq ${b} last`).toBeLessThanOrEqual(1e-4);
      const h0 = run.layer0.subarray(b * 24 * run.hidden, b * 24 * run.hidden + 8);
      expect(maxAbsDiff(h0, ref.hidden_state_after_layer0_position0[b])).toBeLessThanOrEqual(1e-5);
    }
    expect(Math.abs(run.meanLoss - ref.mean_next_token_loss)).toBeLessThanOrEqual(1e-5);
    if (ref.per_sequence_loss) {
      run.perSequenceLoss.forEach((l, b) => expect(Math.abs(l - ref.per_sequence_loss[b])).toBeLessThanOrEqual(1e-5));
    }
  });
});
