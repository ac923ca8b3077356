/**
 * Fisher estimation end to end: on tiny-llama from probe text, the file's values are the squared
 * window gradients (checked against float64 finite differences of the fixture's own loss); on an
 * MLP classifier, the output-bias Fisher equals its closed form mean p_c(1 − p_c).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { estimateFisher } from '../../../electron/engine/fisher/estimate-fisher.js';
import { openFisherFile } from '../../../electron/engine/fisher/fisher-file.js';
import { GradStore } from '../../../electron/engine/fisher/lm/grad-store.js';
import { windowGradient } from '../../../electron/engine/fisher/lm/window-gradient.js';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { detectLanguageModel } from '../../../electron/engine/probe/arch/detect-language-model.js';
import { datasetToCsv } from '../../../electron/engine/probe/mlp/csv-dataset.js';
import { mlpForward } from '../../../electron/engine/probe/mlp/mlp-backprop.js';
import { initMlp, writeMlpCheckpoint } from '../../../electron/engine/probe/mlp/mlp-params.js';
import { readTensorF32 } from '../../../electron/engine/probe/stream/read-tensor-f32.js';
import { makeRng } from '../../helpers/prng.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { FIXTURES } from '../probe/fixture-forward.js';
import { randomCentres, sampleTask } from '../probe/mlp-tasks.js';

afterAll(removeTempDirs);

const TEXT = 'The quick brown fox jumps over the lazy dog.';

describe('language-model Fisher from probe text (tiny-llama)', () => {
  it('is the mean over windows of the squared window gradients, gradients checked by finite differences', async () => {
    const dir = await makeTempDir('fisher-lm');
    const out = join(dir, 'fisher.safetensors');
    const model = join(FIXTURES, 'tiny-llama');
    const progress: number[] = [];
    const res = await estimateFisher(model, [{ name: 'fox.txt', text: TEXT }], out, { window: 24, stride: 24, onProgress: (e) => progress.push(e.done) });
    // 44 bytes in windows of 24: [0, 24) and [24, 44).
    expect(res).toMatchObject({ kind: 'language-model', count: 2 });
    expect(progress).toEqual([1, 2]);
    const ck = await openCheckpoint(model);
    const fisher = await openFisherFile(out, ck);
    expect(fisher.files[0].metadata.crucible_fisher_estimator).toMatch(/empirical Fisher, batch approximation/);

    // Independent float64 gradients of each window's summed NLL, by central differences on a sample of weights.
    const spec = detectLanguageModel(ck);
    const w64 = new Map([...ck.tensors.values()].map((t) => [t.name, Float64Array.from(readTensorF32(t))]));
    const reader = { get: (n: string) => w64.get(n)! };
    const bytes = Buffer.from(TEXT);
    const windows = [
      { tokens: Int32Array.from(bytes.subarray(0, 24)), firstTarget: 1 },
      { tokens: Int32Array.from(bytes.subarray(24)), firstTarget: 1 },
    ];
    const rng = makeRng(4);
    const names = ['model.layers.0.self_attn.q_proj.weight', 'model.layers.1.mlp.down_proj.weight', 'model.layers.0.input_layernorm.weight', 'lm_head.weight', 'model.embed_tokens.weight'];
    for (const name of names) {
      const stored = readTensorF32(fisher.tensors.get(name)!);
      const wts = w64.get(name)!;
      // The embedding rows of tokens in the text, elsewhere random entries.
      const picks = name.includes('embed') ? [84 * 64 + 3, 32 * 64 + 10, 111 * 64 + 63] : Array.from({ length: 3 }, () => Math.floor(rng.uniform() * wts.length));
      for (const k of picks) {
        const h = 1e-4;
        let expected = 0;
        for (const win of windows) {
          const orig = wts[k];
          wts[k] = orig + h;
          const up = windowGradient(spec, reader, win, new GradStore(reader));
          wts[k] = orig - h;
          const down = windowGradient(spec, reader, win, new GradStore(reader));
          wts[k] = orig;
          expected += ((up - down) / (2 * h)) ** 2 / windows.length;
        }
        expect(Math.abs(stored[k] - expected), `${name}[${k}]: ${stored[k]} vs ${expected}`).toBeLessThanOrEqual(1e-3 * expected + 1e-8);
      }
    }
    // Tokens absent from the text have no gradient through the input embedding, but do through the head.
    const embed = readTensorF32(fisher.tensors.get('model.embed_tokens.weight')!);
    expect(embed.subarray(200 * 64, 201 * 64).every((v) => v === 0)).toBe(true);
  });

  it('refuses an existing output unless forced', async () => {
    const dir = await makeTempDir('fisher-exists');
    const out = join(dir, 'f.safetensors');
    await writeFile(out, 'x');
    await expect(estimateFisher(join(FIXTURES, 'tiny-gpt2'), [{ name: 't', text: TEXT }], out, { window: 24 })).rejects.toThrow(/already exists/);
    const res = await estimateFisher(join(FIXTURES, 'tiny-gpt2'), [{ name: 't', text: TEXT }], out, { window: 24, stride: 24, force: true });
    expect(res.count).toBe(2);
  });
});

describe('MLP classifier Fisher from CSV data', () => {
  it("gives each output bias its closed form, the mean over samples of p_c(1 − p_c)", async () => {
    const rng = makeRng(6);
    const p = initMlp([3, 5, 4], rng.uniform);
    const dir = await makeTempDir('fisher-mlp');
    await writeMlpCheckpoint(join(dir, 'mlp'), p);
    const data = sampleTask(rng, randomCentres(rng, 4, 3), 40);
    const out = join(dir, 'fisher.safetensors');
    const res = await estimateFisher(join(dir, 'mlp'), [{ name: 'data.csv', text: datasetToCsv(data) }], out);
    expect(res).toMatchObject({ kind: 'mlp', count: 40 });
    const ck = await openCheckpoint(join(dir, 'mlp'));
    const bias = readTensorF32((await openFisherFile(out, ck)).tensors.get('layers.1.bias')!);
    const logits = mlpForward(p, data.features, data.n).acts.at(-1)!;
    const expected = new Float64Array(4);
    for (let i = 0; i < data.n; i++) {
      const row = Array.from(logits.subarray(i * 4, i * 4 + 4));
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      e.forEach((v, c) => (expected[c] += ((v / s) * (1 - v / s)) / data.n));
    }
    bias.forEach((v, c) => expect(v).toBeCloseTo(expected[c], 6));
  });
});
