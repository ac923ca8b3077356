/** The forward pass against PyTorch's reference logits and losses (test/fixtures/README.md: tolerances 1e-4 / 1e-5). */
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, readReference, runFixture } from './fixture-forward.js';

const FIXTURES = ['tiny-llama', 'tiny-qwen2', 'tiny-gpt2', 'tiny-llama-bf16'];

describe.each(FIXTURES)('forward pass of %s', (fixture) => {
  it('matches the reference logits (1e-4), losses (1e-5) and layer-0 hidden state (1e-5)', async () => {
    const ref = readReference(fixture);
    const run = await runFixture(fixture);
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
