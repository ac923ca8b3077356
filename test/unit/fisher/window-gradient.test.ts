/**
 * The language-model backward pass as a whole: on tiny random Llama (GQA), Qwen2 (q/k/v biases,
 * tied head) and GPT-2 models in float64, the gradient of a window's summed negative
 * log-likelihood against finite differences for every weight; and the forward half against the
 * PyTorch fixtures' losses (1e-5).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { GradStore } from '../../../electron/engine/fisher/lm/grad-store.js';
import { windowGradient } from '../../../electron/engine/fisher/lm/window-gradient.js';
import { detectLanguageModel, expectedShapes } from '../../../electron/engine/probe/arch/detect-language-model.js';
import type { Gpt2Spec, LanguageModelSpec, LlamaSpec } from '../../../electron/engine/probe/arch/language-model-spec.js';
import { readTensorF32 } from '../../../electron/engine/probe/stream/read-tensor-f32.js';
import { makeRng } from '../../helpers/prng.js';
import { FIXTURES, readReference } from '../probe/fixture-forward.js';
import { expectGradients } from './finite-differences.js';

function llama(opts: { biases: boolean; tied: boolean }): LlamaSpec {
  return {
    kind: 'llama',
    family: opts.biases ? 'qwen2' : 'llama',
    vocab: 11,
    hidden: 8,
    intermediate: 6,
    layers: 2,
    heads: 4,
    kvHeads: 2,
    headDim: 2,
    eps: 1e-5,
    invFreq: Float32Array.from([1]),
    embed: 'embed',
    finalNorm: 'norm',
    head: opts.tied ? 'embed' : 'head',
    tied: opts.tied,
    layer: (i) => ({
      inputNorm: `${i}.in_norm`,
      q: `${i}.q`,
      k: `${i}.k`,
      v: `${i}.v`,
      o: `${i}.o`,
      postNorm: `${i}.post_norm`,
      gate: `${i}.gate`,
      up: `${i}.up`,
      down: `${i}.down`,
      ...(opts.biases ? { qBias: `${i}.q_bias`, kBias: `${i}.k_bias`, vBias: `${i}.v_bias` } : {}),
    }),
  };
}

const gpt2: Gpt2Spec = {
  kind: 'gpt2',
  family: 'gpt2',
  vocab: 11,
  hidden: 6,
  inner: 8,
  layers: 2,
  heads: 2,
  headDim: 3,
  eps: 1e-5,
  maxWindow: 8,
  wte: 'wte',
  wpe: 'wpe',
  lnfW: 'lnf_w',
  lnfB: 'lnf_b',
  head: 'wte',
  tied: true,
  layer: (i) => ({
    ln1w: `${i}.ln1w`,
    ln1b: `${i}.ln1b`,
    attnW: `${i}.attnW`,
    attnB: `${i}.attnB`,
    projW: `${i}.projW`,
    projB: `${i}.projB`,
    ln2w: `${i}.ln2w`,
    ln2b: `${i}.ln2b`,
    fcW: `${i}.fcW`,
    fcB: `${i}.fcB`,
    fcProjW: `${i}.fcProjW`,
    fcProjB: `${i}.fcProjB`,
  }),
};

describe('window gradient against finite differences (float64)', () => {
  const cases: [string, LanguageModelSpec][] = [
    ['Llama, GQA, untied head', llama({ biases: false, tied: false })],
    ['Qwen2, q/k/v biases, tied head', llama({ biases: true, tied: true })],
    ['GPT-2, tied head, learned positions', gpt2],
  ];
  for (const [label, spec] of cases) {
    it(label, () => {
      const rng = makeRng(label.length);
      const weights = new Map<string, Float64Array>();
      for (const [name, shape] of expectedShapes(spec)) {
        const n = shape.reduce((a, b) => a * b, 1);
        const isNorm = /norm|ln\dw|lnf_w/.test(name);
        weights.set(name, Float64Array.from({ length: n }, () => (isNorm ? 1 : 0) + 0.5 * rng.normal()));
      }
      const reader = { get: (n: string) => weights.get(n)! };
      const win = { tokens: Int32Array.from([3, 1, 4, 1, 5, 9, 2]), firstTarget: 2 };
      const grads = new GradStore(reader);
      windowGradient(spec, reader, win, grads);
      const names = [...weights.keys()];
      expectGradients(
        () => windowGradient(spec, reader, win, new GradStore(reader)),
        names.map((n) => weights.get(n)!),
        names.map((n) => grads.grads.get(n) ?? new Float64Array(weights.get(n)!.length)),
        label,
        1e-5,
        1e-6,
        1e-5,
      );
    });
  }
});

describe('window forward pass against the PyTorch fixtures', () => {
  it.each(['tiny-llama', 'tiny-qwen2', 'tiny-gpt2'])('%s: per-sequence losses within 1e-5', async (fixture) => {
    const ck = await openCheckpoint(join(FIXTURES, fixture));
    const spec = detectLanguageModel(ck);
    const cache = new Map<string, Float32Array>();
    const reader = {
      get: (n: string) => {
        if (!cache.has(n)) cache.set(n, readTensorF32(ck.tensors.get(n)!));
        return cache.get(n)!;
      },
    };
    const ref = readReference(fixture);
    ref.input_ids.forEach((ids, b) => {
      const nll = windowGradient(spec, reader, { tokens: Int32Array.from(ids), firstTarget: 1 }, new GradStore(reader));
      expect(Math.abs(nll / (ids.length - 1) - ref.per_sequence_loss[b])).toBeLessThanOrEqual(1e-5);
    });
  });
});
