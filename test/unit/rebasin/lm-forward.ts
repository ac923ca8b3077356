/** Test helper: the probe's forward pass on any checkpoint, over a fixture's two reference sequences. */
import type { CheckpointInfo } from '../../../electron/engine/io/types.js';
import { detectLanguageModel } from '../../../electron/engine/probe/arch/detect-language-model.js';
import { lmProgram } from '../../../electron/engine/probe/lm/lm-program.js';
import { TS_MATMUL } from '../../../electron/engine/probe/math/matmul.js';
import { CheckpointSource } from '../../../electron/engine/probe/stream/checkpoint-source.js';
import { evaluateVariants } from '../../../electron/engine/probe/stream/evaluate-variants.js';
import { segmentTexts } from '../../../electron/engine/probe/text/segments.js';
import { maxAbsDiff, type Reference } from '../probe/fixture-forward.js';

/** logits[b][t] for every position of both sequences. */
export async function forwardLogits(ck: CheckpointInfo, inputIds: number[][]): Promise<Float32Array[][]> {
  const ids = inputIds.map((s) => Int32Array.from(s));
  const T = ids[0].length;
  const logits: Float32Array[][] = ids.map(() => []);
  const program = lmProgram(detectLanguageModel(ck), segmentTexts(ids, { window: T, stride: T }), ids.length, TS_MATMUL, {
    onLogits: (seg, pos, row) => {
      logits[seg][pos] = Float32Array.from(row);
    },
  });
  await evaluateVariants(program, new CheckpointSource(ck));
  return logits;
}

/** Largest |Δ| between our logits and reference.json's (positions 0–3 and the last). */
export function referenceLogitError(logits: Float32Array[][], ref: Reference): number {
  let worst = 0;
  for (let b = 0; b < 2; b++) {
    ref.first_positions.forEach((t, i) => (worst = Math.max(worst, maxAbsDiff(logits[b][t], ref.logits_first_positions[b][i]))));
    worst = Math.max(worst, maxAbsDiff(logits[b][ref.last_position], ref.logits_last_position[b]));
  }
  return worst;
}
