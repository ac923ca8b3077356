/**
 * The tiny-lora fixture (test/fixtures/README.md): PyTorch's merged layer-0 q_proj (atol 1e-6) and
 * the reference logits and loss of tiny-llama with the adapter applied, through the probe's forward pass.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import type { CheckpointInfo } from '../../../electron/engine/io/types.js';
import { openLoraModel } from '../../../electron/engine/lora/lora-checkpoint.js';
import { detectLanguageModel } from '../../../electron/engine/probe/arch/detect-language-model.js';
import { lmProgram } from '../../../electron/engine/probe/lm/lm-program.js';
import { TS_MATMUL } from '../../../electron/engine/probe/math/matmul.js';
import { CheckpointSource } from '../../../electron/engine/probe/stream/checkpoint-source.js';
import { evaluateVariants } from '../../../electron/engine/probe/stream/evaluate-variants.js';
import { readTensorF32 } from '../../../electron/engine/probe/stream/read-tensor-f32.js';
import { segmentTexts } from '../../../electron/engine/probe/text/segments.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { FIXTURES, maxAbsDiff, readReference } from '../probe/fixture-forward.js';

const Q0 = 'model.layers.0.self_attn.q_proj.weight';
let merged: CheckpointInfo;
let changed: string[];

beforeAll(async () => {
  const workDir = await makeTempDir('lora');
  const r = await openLoraModel(join(FIXTURES, 'tiny-llama'), join(FIXTURES, 'tiny-lora'), { workDir });
  merged = r.checkpoint;
  changed = r.changed;
});
afterAll(removeTempDirs);

describe('tiny-lora applied to tiny-llama', () => {
  it('changes exactly q_proj and v_proj of both layers', () => {
    expect([...changed].sort()).toEqual([0, 1].flatMap((l) => ['q', 'v'].map((p) => `model.layers.${l}.self_attn.${p}_proj.weight`)).sort());
  });

  it("gives PyTorch's merged layer-0 q_proj within 1e-6", async () => {
    const expected = await openCheckpoint(join(FIXTURES, 'tiny-lora', 'expected-merged-q_proj-0.safetensors'));
    const want = readTensorF32(expected.tensors.get(Q0)!);
    const got = readTensorF32(merged.tensors.get(Q0)!);
    expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-6);
    // The update is not negligible (README: up to 0.236), so an unapplied adapter cannot pass.
    const base = await openCheckpoint(join(FIXTURES, 'tiny-llama'));
    expect(maxAbsDiff(readTensorF32(base.tensors.get(Q0)!), want)).toBeGreaterThan(0.2);
  });

  it('leaves every other tensor pointing into the base files', async () => {
    const base = await openCheckpoint(join(FIXTURES, 'tiny-llama'));
    for (const [name, info] of merged.tensors) {
      if (changed.includes(name)) expect(info.file).not.toBe(base.tensors.get(name)!.file);
      else expect(info).toEqual(base.tensors.get(name));
    }
  });

  it('reproduces the reference logits (1e-4) and loss (1e-5) through the probe forward pass', async () => {
    const ref = readReference('tiny-lora');
    const spec = detectLanguageModel(merged);
    const ids = ref.input_ids.map((s) => Int32Array.from(s));
    const T = ids[0].length;
    const logits: Float32Array[][] = ids.map(() => []);
    const program = lmProgram(spec, segmentTexts(ids, { window: T, stride: T }), ids.length, TS_MATMUL, {
      onLogits: (seg, pos, row) => {
        logits[seg][pos] = Float32Array.from(row);
      },
    });
    const [totals] = await evaluateVariants(program, new CheckpointSource(merged));
    for (let b = 0; b < 2; b++) {
      ref.first_positions.forEach((t, i) => expect(maxAbsDiff(logits[b][t], ref.logits_first_positions[b][i])).toBeLessThanOrEqual(1e-4));
      expect(maxAbsDiff(logits[b][ref.last_position], ref.logits_last_position[b])).toBeLessThanOrEqual(1e-4);
    }
    const loss = totals.reduce((s, t) => s + t.nats, 0) / totals.reduce((s, t) => s + t.count, 0);
    expect(Math.abs(loss - ref.mean_next_token_loss)).toBeLessThanOrEqual(1e-5);
  });
});
