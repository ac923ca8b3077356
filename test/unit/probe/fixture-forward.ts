/** Runs the probe's forward pass on a reference fixture (test/fixtures/tiny-*) and collects what reference.json holds. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import type { CheckpointInfo } from '../../../electron/engine/io/types.js';
import { detectLanguageModel } from '../../../electron/engine/probe/arch/detect-language-model.js';
import { lmProgram } from '../../../electron/engine/probe/lm/lm-program.js';
import { TS_MATMUL, type MatmulBackend } from '../../../electron/engine/probe/math/matmul.js';
import { CheckpointSource } from '../../../electron/engine/probe/stream/checkpoint-source.js';
import { evaluateVariants, meanLoss } from '../../../electron/engine/probe/stream/evaluate-variants.js';
import { segmentTexts } from '../../../electron/engine/probe/text/segments.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export interface Reference {
  input_ids: number[][];
  logits_first_positions: number[][][];
  logits_last_position: number[][];
  mean_next_token_loss: number;
  per_sequence_loss: number[];
  hidden_state_after_layer0_position0: number[][];
  first_positions: number[];
  last_position: number;
}

export function readReference(fixture: string): Reference {
  return JSON.parse(readFileSync(join(FIXTURES, fixture, 'reference.json'), 'utf8')) as Reference;
}

export interface FixtureRun {
  /** logits[b][t] for every position. */
  logits: Float32Array[][];
  perSequenceLoss: number[];
  meanLoss: number;
  /** Residual stream after layer 0, [b][t * H ...]. */
  layer0: Float32Array;
  hidden: number;
}

/** `model`: an opened checkpoint to run instead of the fixture's own folder (base + adapter for tiny-lora). */
export async function runFixture(fixture: string, mm: MatmulBackend = TS_MATMUL, model?: CheckpointInfo): Promise<FixtureRun> {
  const ref = readReference(fixture);
  const ck = model ?? (await openCheckpoint(join(FIXTURES, fixture)));
  const spec = detectLanguageModel(ck);
  const ids = ref.input_ids.map((s) => Int32Array.from(s));
  const T = ids[0].length;
  const segments = segmentTexts(ids, { window: T, stride: T });
  const logits: Float32Array[][] = ids.map(() => []);
  let layer0 = new Float32Array(0);
  const program = lmProgram(spec, segments, ids.length, mm, {
    onLogits: (seg, pos, row) => {
      logits[seg][pos] = Float32Array.from(row);
    },
    onLayer: (l, h) => {
      if (l === 0) layer0 = Float32Array.from(h);
    },
  });
  const [totals] = await evaluateVariants(program, new CheckpointSource(ck));
  const nats = totals.reduce((s, t) => s + t.nats, 0);
  const count = totals.reduce((s, t) => s + t.count, 0);
  return { logits, perSequenceLoss: totals.map(meanLoss), meanLoss: nats / count, layer0, hidden: spec.hidden };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths ${a.length} and ${b.length} differ`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
