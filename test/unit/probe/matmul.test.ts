/** Matrix products: the blocked TypeScript loops and the WebAssembly SIMD workers against the naive triple loop. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearNaive, linearTs, transpose, type LinearArgs } from '../../../electron/engine/probe/math/matmul.js';
import { WasmMatmul } from '../../../electron/engine/probe/wasm/wasm-matmul.js';
import { makeRng } from '../../helpers/prng.js';
import { maxAbsDiff, readReference, runFixture } from './fixture-forward.js';
import { ensureMatmulBuilt } from './matmul-built.js';

function problem(rows: number, outDim: number, inDim: number, withBias: boolean, seed: number): { args: LinearArgs; expected: Float32Array } {
  const rng = makeRng(seed);
  const x = rng.floats(rows * inDim);
  const w = rng.floats(outDim * inDim);
  const bias = withBias ? rng.floats(outDim) : undefined;
  const expected = new Float32Array(rows * outDim);
  linearNaive({ x, rows, w, outDim, inDim, bias, y: expected });
  return { args: { x, rows, w, outDim, inDim, bias, y: new Float32Array(rows * outDim) }, expected };
}

// Shapes with every remainder: odd rows, outputs not a multiple of 4 or of the 16-row block, inDim not a multiple of 4.
const SHAPES: [number, number, number, boolean][] = [
  [1, 1, 1, false],
  [3, 5, 7, true],
  [2, 16, 64, false],
  [9, 37, 130, true],
  [24, 64, 64, true],
  [5, 257, 33, false],
];

describe('linearTs', () => {
  it.each(SHAPES)('rows %i, out %i, in %i, bias %s: equals the naive loop', (rows, out, inp, bias) => {
    const { args, expected } = problem(rows, out, inp, bias, rows * 1000 + out);
    linearTs(args);
    expect(maxAbsDiff(args.y, expected)).toBeLessThanOrEqual(1e-5);
  });

  it('transpose turns [in, out] into [out, in]', () => {
    expect([...transpose(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

describe('WasmMatmul', () => {
  let mm: WasmMatmul;
  beforeAll(async () => {
    mm = await WasmMatmul.create({ file: ensureMatmulBuilt(), threads: 2, smallProduct: 0 });
  });
  afterAll(async () => {
    await mm?.close();
  });

  it.each(SHAPES)('rows %i, out %i, in %i, bias %s: equals the naive loop (float32 partial sums)', async (rows, out, inp, bias) => {
    const { args, expected } = problem(rows, out, inp, bias, rows * 1000 + out + 1);
    await mm.linear(args);
    expect(maxAbsDiff(args.y, expected)).toBeLessThanOrEqual(1e-4);
  });

  it('serves concurrent callers one product at a time (shared memory)', async () => {
    const ps = [problem(8, 40, 24, true, 1), problem(5, 64, 48, false, 2), problem(16, 12, 100, true, 3)];
    await Promise.all(ps.map((p) => mm.linear(p.args)));
    for (const p of ps) expect(maxAbsDiff(p.args.y, p.expected)).toBeLessThanOrEqual(1e-4);
  });

  it('runs consecutive products of different sizes (memory grows)', async () => {
    for (const [r, o, i] of [[4, 8, 8], [64, 512, 1024], [3, 5, 7]]) {
      const { args, expected } = problem(r, o, i, true, r + o + i);
      await mm.linear(args);
      expect(maxAbsDiff(args.y, expected)).toBeLessThanOrEqual(1e-3);
    }
  });

  it.each(['tiny-llama', 'tiny-qwen2', 'tiny-gpt2'])('%s through the WebAssembly path matches PyTorch (logits 1e-4, loss 1e-5)', async (fixture) => {
    const ref = readReference(fixture);
    const run = await runFixture(fixture, mm);
    for (let b = 0; b < 2; b++) {
      expect(maxAbsDiff(run.logits[b][ref.last_position], ref.logits_last_position[b])).toBeLessThanOrEqual(1e-4);
      ref.first_positions.forEach((t, i) => expect(maxAbsDiff(run.logits[b][t], ref.logits_first_positions[b][i])).toBeLessThanOrEqual(1e-4));
    }
    expect(Math.abs(run.meanLoss - ref.mean_next_token_loss)).toBeLessThanOrEqual(1e-5);
  });
});
