/**
 * A merge that writes NaN or ±Inf says so: one warning per such tensor with its counts, as written
 * (after rounding to the output dtype), and a summary at the end; the exit status stays 0. A clean
 * merge says nothing of the kind.
 *
 * The float16 models below, by hand (half's largest finite is 65504; from 32768 to 65536 its
 * spacing is 32, so 65520 is halfway between 65504, whose mantissa is odd, and 65536 = Inf):
 *   a    = [60000, −60000, 65504, 65504, NaN, 0.5, 30000, 2]   (all exact in float16)
 *   b    = [10000, −10000,    16,     8,   1, 0.5,  2752, 2]
 *   a+b  = [70000, −70000, 65520, 65512, NaN,   1, 32752, 4]   (exact in float32)
 *   as float16: Inf, −Inf, Inf (the tie goes to even), 65504 (below the tie), NaN, 1, 32752, 4
 * so 3 Inf and 1 NaN of 8 values; as bfloat16 (float32's range) only the NaN.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MergeRecipe } from '../../common/recipe/types.js';
import { runMerge } from '../../electron/engine/run/run-merge.js';
import { writeHfCheckpoint } from '../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, jsonLines, runCli } from './cli.js';

const BAD = 'model.layers.0.mlp.down_proj.weight';
const CLEAN = 'model.norm.weight';
const A = [60000, -60000, 65504, 65504, NaN, 0.5, 30000, 2];
const B = [10000, -10000, 16, 8, 1, 0.5, 2752, 2];

let dir: string;

function tensorHalves(path: string, name: string): number[] {
  const bytes = readFileSync(path);
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<string, { data_offsets: [number, number] }>;
  const [from, to] = header[name].data_offsets;
  const data = bytes.subarray(8 + n + from, 8 + n + to);
  return Array.from({ length: data.length / 2 }, (_, i) => data.readUInt16LE(2 * i));
}

async function recipe(name: string, body: string): Promise<string> {
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, body);
  return path;
}

const SUM = 'merge_method: linear\nmodels:\n  - model: a\n    parameters: {weight: 1}\n  - model: b\n    parameters: {weight: 1}\nparameters: {normalize: false}\n';
const TENSOR_LINE = `warning: tensor ${BAD}: 3 of 8 values written are Inf (float16 overflows beyond ±65504) and 1 is NaN`;
const SUMMARY_LINE =
  'warning: 1 of 2 tensors written holds NaN or Inf values (3 Inf and 1 NaN in all): the model is likely broken; float16 holds at most ±65504: out_dtype bfloat16 or float32 keeps larger values finite';

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-non-finite');
  await writeHfCheckpoint(join(dir, 'a'), [{ name: BAD, shape: [8], values: A }, { name: CLEAN, shape: [4], values: [1, 2, 3, 4] }], { dtype: 'F16' });
  await writeHfCheckpoint(join(dir, 'b'), [{ name: BAD, shape: [8], values: B }, { name: CLEAN, shape: [4], values: [1, 1, 1, 1] }], { dtype: 'F16' });
  await writeHfCheckpoint(join(dir, 'c'), [{ name: BAD, shape: [8], values: B }, { name: CLEAN, shape: [4], values: [1, 1, 1, 1] }], { dtype: 'F16' });
});
afterAll(removeTempDirs);

describe('crucible merge warns of NaN and Inf written', () => {
  for (const backend of ['wasm', 'ts']) {
    it(`a float16 linear sum that overflows (${backend} backend): exit 0, the tensor's counts and a summary on stderr`, async () => {
      const out = join(dir, `sum-${backend}`);
      const r = await runCli(['merge', await recipe('sum', SUM), '--out', out, '--backend', backend]);
      expect(r.code, r.stderr).toBe(0);
      const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
      expect(warnings).toEqual([TENSOR_LINE, SUMMARY_LINE]);
      // The counts are those of the bytes written: +Inf, −Inf, +Inf, 65504, a NaN, 1, 32752, 4
      // (32752 = 1.9990234375·2^14: exponent 14 + 15 = 29, mantissa 1023: 29·1024 + 1023 = 0x77ff).
      const h = tensorHalves(join(out, 'model.safetensors'), BAD);
      expect([h[0], h[1], h[2], h[3], h[5], h[6], h[7]]).toEqual([0x7c00, 0xfc00, 0x7c00, 0x7bff, 0x3c00, 0x77ff, 0x4400]);
      expect(h[4] & 0x7c00).toBe(0x7c00);
      expect(h[4] & 0x3ff).not.toBe(0);
    });
  }

  it('--json: the same lines as {"type":"warning","message"} events, nothing else in them', async () => {
    const out = join(dir, 'sum-json');
    const r = await runCli(['merge', await recipe('sum', SUM), '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const warnings = jsonLines(r.stdout).filter((e) => e.type === 'warning');
    expect(warnings).toEqual([
      { type: 'warning', message: TENSOR_LINE.slice('warning: '.length) },
      { type: 'warning', message: SUMMARY_LINE.slice('warning: '.length) },
    ]);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ type: 'done' });
  });

  it('written as bfloat16 the sums stay finite: only the NaN is counted', async () => {
    const out = join(dir, 'sum-bf16');
    const r = await runCli(['merge', await recipe('sum-bf16', `${SUM}out_dtype: bfloat16\n`), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('warning:'))).toEqual([
      `warning: tensor ${BAD}: 1 of 8 values written is NaN`,
      'warning: 1 of 2 tensors written holds NaN or Inf values (1 NaN in all): the model is likely broken',
    ]);
  });

  it('a tensor copied byte for byte (passthrough at scale 1) from an input holding NaN is counted too', async () => {
    const out = join(dir, 'copy');
    const r = await runCli(['merge', await recipe('copy', 'merge_method: passthrough\nmodels:\n  - model: a\n'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    // a's values as stored: 60000, −60000, 65504, 65504 are finite; one NaN.
    expect(r.stderr).toContain(`warning: tensor ${BAD}: 1 of 8 values written is NaN\n`);
  });

  it('a clean merge (b and c averaged) prints no such warning', async () => {
    const out = join(dir, 'clean');
    const r = await runCli(['merge', await recipe('clean', 'merge_method: linear\nmodels:\n  - model: b\n    parameters: {weight: 1}\n  - model: c\n    parameters: {weight: 1}\n'), '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout).filter((e) => e.type === 'warning')).toEqual([]);
    expect(r.stderr).not.toMatch(/NaN|Inf/);
  });
});

describe('a tensor split across workers', () => {
  it('gets one warning with the counts of all its ranges', async () => {
    // 3 ranges of 4096: Inf at 0 and 5000 (ranges 0 and 1), NaN at 9000 and 12287 (range 2).
    const n = 3 * 4096;
    const big = new Float32Array(n).fill(1);
    big[0] = Infinity;
    big[5000] = -Infinity;
    big[9000] = NaN;
    big[n - 1] = NaN;
    await writeHfCheckpoint(join(dir, 'big'), [{ name: 'w', shape: [n], values: big }], { dtype: 'BF16' });
    await writeHfCheckpoint(join(dir, 'big2'), [{ name: 'w', shape: [n], values: new Float32Array(n).fill(1) }], { dtype: 'BF16' });
    const r: MergeRecipe = { mergeMethod: 'linear', models: [{ model: 'big', parameters: { weight: 1 } }, { model: 'big2', parameters: { weight: 1 } }], parameters: {} };
    const warnings: string[] = [];
    await runMerge({ recipe: r, recipeDir: dir, out: join(dir, 'split'), threads: 2, splitElements: 4096, onEvent: (e) => e.type === 'warning' && warnings.push(e.message) });
    expect(warnings).toEqual([
      `tensor w: 2 of ${n} values written are Inf and 2 are NaN`,
      '1 of 1 tensors written holds NaN or Inf values (2 Inf and 2 NaN in all): the model is likely broken',
    ]);
  });
});
