/** Barrier along (1−λ)A + λB: the spec §5 instrument, PyTorch endpoints, read-once streaming, a hand-merged midpoint. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { barrierHeight, lambdaPoints } from '../../../electron/engine/probe/barrier/barrier-height.js';
import { interpolationBarrier } from '../../../electron/engine/probe/barrier/interpolation-barrier.js';
import { interpolationPlans, MODEL_A, MODEL_B, planAt } from '../../../electron/engine/probe/barrier/interpolation-plan.js';
import { probeLoss } from '../../../electron/engine/probe/probe-loss.js';
import { ProbeCache } from '../../../electron/engine/probe/sweep/probe-cache.js';
import { evaluateVariants, meanLoss } from '../../../electron/engine/probe/stream/evaluate-variants.js';
import { MergedSource } from '../../../electron/engine/probe/stream/merged-source.js';
import { makeLlamaCheckpoint, writeHfCheckpoint } from '../../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { FIXTURES, readReference } from './fixture-forward.js';
import { quadraticProgram } from './quadratic-program.js';

afterAll(removeTempDirs);

const A = [0.4, -0.2, 1.0];
const B = [1.0, 0.6, 0.2];

async function instrumentLosses(centres: number[][]): Promise<number[]> {
  const dirA = await makeTempDir('bowl-a');
  const dirB = await makeTempDir('bowl-b');
  await writeHfCheckpoint(dirA, [{ name: 'theta', shape: [3], values: A }]);
  await writeHfCheckpoint(dirB, [{ name: 'theta', shape: [3], values: B }]);
  const ckA = await openCheckpoint(dirA);
  const ckB = await openCheckpoint(dirB);
  const templates = new Map(interpolationPlans(ckA, ckB).map((p) => [p.name, p]));
  const lambdas = lambdaPoints(11);
  const source = new MergedSource({
    variants: 11,
    plan: (j, name) => planAt(templates.get(name)!, lambdas[j]),
    checkpoints: new Map([
      [MODEL_A, ckA],
      [MODEL_B, ckB],
    ]),
    seed: 0,
  });
  const totals = await evaluateVariants(quadraticProgram(centres), source);
  return totals.map((t) => meanLoss(t[0]));
}

describe('spec §5 barrier instrument', () => {
  it('two basins: the listed curve and barrier 0.41', async () => {
    const losses = await instrumentLosses([A, B]);
    const expected = [0, 0.0164, 0.0656, 0.1476, 0.2624, 0.41, 0.2624, 0.1476, 0.0656, 0.0164, 0];
    losses.forEach((l, j) => expect(l).toBeCloseTo(expected[j], 6));
    expect(barrierHeight(lambdaPoints(11), losses)).toBeCloseTo(0.41, 6);
  });

  it('a shared basin: the parabola 0.41·(1−2λ)² and barrier 0', async () => {
    const mid = A.map((a, i) => (a + B[i]) / 2);
    const losses = await instrumentLosses([mid]);
    lambdaPoints(11).forEach((lam, j) => expect(losses[j]).toBeCloseTo(0.41 * (1 - 2 * lam) ** 2, 6));
    expect(barrierHeight(lambdaPoints(11), losses)).toBeCloseTo(0, 6);
  });

  it('lambdaPoints refuses K < 2', () => {
    expect(() => lambdaPoints(1)).toThrow(/≥ 2/);
    expect(lambdaPoints(3)).toEqual([0, 0.5, 1]);
  });
});

describe('interpolationBarrier on language models', () => {
  const texts = [
    { name: 'fox', text: 'The quick brown fox jump' },
    { name: 'loop', text: 'for (int i = 0; i < n; i' },
  ];

  it('endpoints equal PyTorch losses of tiny-llama (λ=0) and tiny-llama-bf16 (λ=1)', async () => {
    const refA = readReference('tiny-llama');
    const refB = readReference('tiny-llama-bf16');
    const r = await interpolationBarrier(join(FIXTURES, 'tiny-llama'), join(FIXTURES, 'tiny-llama-bf16'), texts, { points: 3 });
    expect(r.points.map((p) => p.lambda)).toEqual([0, 0.5, 1]);
    expect(Math.abs(r.points[0].loss - refA.mean_next_token_loss)).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(r.points[2].loss - refB.mean_next_token_loss)).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(r.texts[0].points[0].loss - refA.per_sequence_loss[0])).toBeLessThanOrEqual(1e-5);
    expect(r.texts).toHaveLength(2);
  });

  it('reads every input tensor exactly once, and the same bytes for K = 11 as for K = 2', async () => {
    for (const tie of [false, true]) {
      const a = await makeLlamaCheckpoint({ vocab: 256, seed: 1, tokenizer: false, tieWordEmbeddings: tie });
      const b = await makeLlamaCheckpoint({ vocab: 256, seed: 2, tokenizer: false, tieWordEmbeddings: tie });
      const r11 = await interpolationBarrier(a.dir, b.dir, texts, { points: 11, window: 8, stride: 4 });
      const r2 = await interpolationBarrier(a.dir, b.dir, texts, { points: 2, window: 8, stride: 4 });
      const tensorCount = a.tensors.size + b.tensors.size;
      expect(r11.io.reads.size).toBe(tensorCount);
      expect([...r11.io.reads.values()].every((n) => n === 1)).toBe(true);
      const bytes = [...a.tensors.values(), ...b.tensors.values()].reduce((s, t) => s + 4 * t.length, 0);
      expect(r11.io.bytesRead).toBe(bytes);
      expect(r2.io.bytesRead).toBe(bytes);
      // Same endpoints whatever K is.
      expect(r11.points[0].loss).toBe(r2.points[0].loss);
      expect(r11.points[10].loss).toBe(r2.points[1].loss);
    }
  });

  it('the midpoint equals the probe loss of the model averaged by hand and written to disk', async () => {
    const a = await makeLlamaCheckpoint({ vocab: 256, seed: 3, tokenizer: false });
    const b = await makeLlamaCheckpoint({ vocab: 256, seed: 4, tokenizer: false });
    const dir = await makeTempDir('mid');
    const mid = [...a.tensors].map(([name, x]) => {
      const y = b.tensors.get(name)!;
      const half = Math.fround(0.5);
      return { name, shape: a.shapes.get(name)!, values: Float32Array.from(x, (v, i) => Math.fround(Math.fround(half * v) + Math.fround(half * y[i]))) };
    });
    await writeHfCheckpoint(dir, mid, { config: a.config, tokenizer: false });
    const r = await interpolationBarrier(a.dir, b.dir, texts, { points: 3 });
    const direct = await probeLoss(dir, texts);
    expect(r.points[1].loss).toBe(direct.loss);
    // A barrier of two random models along the line: finite, and the curve is the mean of the texts' curves.
    expect(Number.isFinite(r.barrier)).toBe(true);
    expect(r.points[1].loss).toBeCloseTo((r.texts[0].points[1].loss + r.texts[1].points[1].loss) / 2, 12);
  });

  it('caches a barrier and replays its points without reading weights', async () => {
    const cache = new ProbeCache();
    const a = join(FIXTURES, 'tiny-llama');
    const b = join(FIXTURES, 'tiny-llama-bf16');
    const first = await interpolationBarrier(a, b, texts, { points: 3, cache });
    const seen: number[] = [];
    const again = await interpolationBarrier(a, b, texts, { points: 3, cache, onVariant: (e) => seen.push(e.variant) });
    expect(first.io.bytesRead).toBeGreaterThan(0);
    expect(again.io.bytesRead).toBe(0);
    expect(again.points).toEqual(first.points);
    expect(seen).toEqual([0, 1, 2]);
    const otherK = await interpolationBarrier(a, b, texts, { points: 4, cache });
    expect(otherK.io.bytesRead).toBeGreaterThan(0);
  });

  it('refuses models whose tensor shapes differ, naming the tensor', async () => {
    const a = await makeLlamaCheckpoint({ vocab: 256, tokenizer: false });
    const b = await makeLlamaCheckpoint({ vocab: 256, tokenizer: false, intermediate: 48 });
    await expect(interpolationBarrier(a.dir, b.dir, texts)).rejects.toThrow(/mlp\.(gate|up|down)_proj\.weight/);
  });

  it('reports progress stage by stage (each stage as it starts, then after each of the K settings) with the layer count', async () => {
    const a = await makeLlamaCheckpoint({ vocab: 256, seed: 5, tokenizer: false, layers: 3 });
    const b = await makeLlamaCheckpoint({ vocab: 256, seed: 6, tokenizer: false, layers: 3 });
    const events: { stage: number; layer: number | null; layers: number; done: number }[] = [];
    const pointsAt: number[] = [];
    await interpolationBarrier(a.dir, b.dir, texts, {
      points: 4,
      window: 8,
      stride: 8,
      onProgress: (e) => events.push({ stage: e.stage, layer: e.layer, layers: e.layers, done: e.variantsDone }),
      onVariant: () => pointsAt.push(events[events.length - 1].stage),
    });
    // Embedding, layers 0..2, head: 5 stages × (start + 4 settings).
    expect(events).toHaveLength(5 * 5);
    expect(events.every((e) => e.layers === 3)).toBe(true);
    expect(events.filter((e) => e.done === 0).map((e) => e.layer)).toEqual([null, 0, 1, 2, null]);
    expect(events.slice(5, 10).map((e) => e.done)).toEqual([0, 1, 2, 3, 4]);
    // Every point needs the head: all four arrive in the last stage.
    expect(pointsAt).toEqual([4, 4, 4, 4]);
  });

  it("text by text: each text's curve is final after its own pass (weights read once per text, not per point), same losses", async () => {
    const a = await makeLlamaCheckpoint({ vocab: 256, seed: 7, tokenizer: false });
    const b = await makeLlamaCheckpoint({ vocab: 256, seed: 8, tokenizer: false });
    const together = await interpolationBarrier(a.dir, b.dir, texts, { points: 5, window: 8, stride: 4 });
    const seen: { variant: number; known: boolean[] }[] = [];
    const passes = new Set<string>();
    const byText = await interpolationBarrier(a.dir, b.dir, texts, {
      points: 5,
      window: 8,
      stride: 4,
      textByText: true,
      onVariant: (e) => seen.push({ variant: e.variant, known: e.losses.map((l) => !Number.isNaN(l)) }),
      onProgress: (e) => passes.add(`${e.pass}/${e.passes}`),
    });
    // The first text's five points arrive (the second still unknown), then the second's.
    expect(seen.map((e) => e.variant)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(seen.slice(0, 5).every((e) => e.known[0] && !e.known[1])).toBe(true);
    expect(seen.slice(5).every((e) => e.known[0] && e.known[1])).toBe(true);
    expect([...passes]).toEqual(['0/2', '1/2']);
    // Each tensor read once per text: twice the bytes of one pass, whatever K is.
    expect(byText.io.bytesRead).toBe(2 * together.io.bytesRead);
    expect([...byText.io.reads.values()].every((n) => n === 2)).toBe(true);
    byText.texts.forEach((t, i) => t.points.forEach((p, j) => expect(p.loss).toBe(together.texts[i].points[j].loss)));
    expect(byText.barrier).toBe(together.barrier);
  });

  it('stops with a CancelledError when the signal aborts', async () => {
    const ctl = new AbortController();
    const p = interpolationBarrier(join(FIXTURES, 'tiny-llama'), join(FIXTURES, 'tiny-llama-bf16'), texts, {
      signal: ctl.signal,
      onProgress: (e) => {
        if (e.stage === 1) ctl.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ name: 'CancelledError' });
  });
});
