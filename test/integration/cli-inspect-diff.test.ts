/** `crucible inspect` and `crucible diff` on checkpoints built here, against hand-computed values. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLlamaCheckpoint, writeHfCheckpoint } from '../helpers/hf-checkpoint.js';
import { rawSafetensors } from '../helpers/raw-safetensors.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, runCli } from './cli.js';

let dir: string;
beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-inspect');
});
afterAll(removeTempDirs);

describe('crucible inspect', () => {
  it('prints architecture, layers, parameter count and every tensor as JSON', async () => {
    const ck = await makeLlamaCheckpoint({ dir: join(dir, 'llama'), layers: 2 });
    const res = await runCli(['inspect', ck.dir, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.architecture).toBe('LlamaForCausalLM');
    expect(out.layers).toBe(2);
    const expectedParams = [...ck.tensors.values()].reduce((s, t) => s + t.length, 0);
    expect(out.parameters).toBe(expectedParams);
    expect(out.tensors).toHaveLength(ck.tensors.size);
    const q = out.tensors.find((t: { name: string }) => t.name === 'model.layers.0.self_attn.q_proj.weight');
    expect(q).toEqual({ name: 'model.layers.0.self_attn.q_proj.weight', dtype: 'F32', shape: ck.shapes.get('model.layers.0.self_attn.q_proj.weight') });
  });

  it('exit 2 naming the file for a pytorch .bin checkpoint', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const bin = join(dir, 'bin-model');
    await mkdir(bin);
    await writeFile(join(bin, 'pytorch_model.bin'), 'x');
    const res = await runCli(['inspect', bin]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('safetensors');
  });
});

describe('crucible diff', () => {
  it('reports max |A−B|, relative L2, task-vector cosine and sign conflicts per tensor and layer', async () => {
    // Task vectors: A−C = [1, −2, 0, 3], B−C = [2, 2, 5, 0] → dot = 2 − 4 = −2; norms √14, √33.
    // Both non-zero at coordinates 0 and 1; opposite signs at 1 → conflict 1/2.
    const C = [1, 1, 1, 1];
    const A = [2, -1, 1, 4];
    const B = [3, 3, 6, 1];
    const t = (name: string, v: number[]) => [{ name, shape: [4], values: v }];
    const name = 'model.layers.0.mlp.up_proj.weight';
    const ca = await writeHfCheckpoint(join(dir, 'A'), t(name, A));
    const cb = await writeHfCheckpoint(join(dir, 'B'), t(name, B));
    const cc = await writeHfCheckpoint(join(dir, 'C'), t(name, C));
    const res = await runCli(['diff', ca.dir, cb.dir, '--base', cc.dir, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    const row = out.tensors[0];
    expect(row.name).toBe(name);
    expect(row.layer).toBe(0);
    expect(row.maxAbs).toBeCloseTo(5, 6);
    // ‖A−B‖ = ‖[−1, −4, −5, 3]‖ = √51; ‖A‖ = √22.
    expect(row.relL2).toBeCloseTo(Math.sqrt(51) / Math.sqrt(22), 6);
    expect(row.cosine).toBeCloseTo(-2 / Math.sqrt(14 * 33), 6);
    expect(row.signConflict).toBeCloseTo(0.5, 6);
    expect(out.layers).toHaveLength(1);
    expect(out.layers[0].layer).toBe(0);
    expect(out.layers[0].cosine).toBeCloseTo(-2 / Math.sqrt(14 * 33), 6);
  });

  it('says which tensors it did not compare because they are not float (it skipped them silently)', async () => {
    const header = { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, position_ids: { dtype: 'I64', shape: [2], data_offsets: [8, 24] } };
    for (const m of ['P', 'Q']) {
      mkdirSync(join(dir, m), { recursive: true });
      writeFileSync(join(dir, m, 'model.safetensors'), rawSafetensors(header, 24));
    }
    const res = await runCli(['diff', join(dir, 'P'), join(dir, 'Q')]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('warning: 1 tensor is not float and not compared: position_ids (I64 vs I64)');
    // No numbered layers: one table, no empty layer table after it.
    expect(res.stdout).toMatch(/^tensor/m);
    expect(res.stdout).not.toMatch(/^layer /m);
  });

  it('prints the extended metrics for any set of models with a base: norm sag, non-zero counts, kept at --density, per-model arrays', async () => {
    // Task vectors (base 1): A = [1, 2, 0, −1], B = [2, −1, 1, 0], D = [0, 1, −1, 1] (see diff-metrics.test.ts):
    // mean pairwise cosine −1/(3√18), sign conflict 3/4, norm ratio √2; TIES at 0.5 keeps 2 of each model's 3 non-zero.
    const name = 'model.layers.1.self_attn.o_proj.weight';
    const t = (v: number[]) => [{ name, shape: [2, 2], values: v.map((x) => x + 1) }];
    const m = await Promise.all([
      writeHfCheckpoint(join(dir, 'm3A'), t([1, 2, 0, -1])),
      writeHfCheckpoint(join(dir, 'm3B'), t([2, -1, 1, 0])),
      writeHfCheckpoint(join(dir, 'm3D'), t([0, 1, -1, 1])),
      writeHfCheckpoint(join(dir, 'm3C'), t([0, 0, 0, 0])),
    ]);
    const res = await runCli(['diff', m[0].dir, m[1].dir, m[2].dir, '--base', m[3].dir, '--density', '0.5', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const row = JSON.parse(res.stdout).tensors[0];
    expect(Object.keys(row)).toEqual(expect.arrayContaining(['name', 'layer', 'maxAbs', 'relL2', 'cosine', 'signConflict']));
    expect(row.models).toBe(3);
    expect(row.cosine).toBeCloseTo(-1 / (3 * Math.sqrt(18)), 6);
    expect(row.signConflict).toBeCloseTo(0.75, 6);
    expect(row.normRatio).toBeCloseTo(Math.SQRT2, 6);
    expect(row.taskNonzero).toEqual([3, 3, 3]);
    expect(row.taskKept).toEqual([2, 2, 2]);
    // Weights [2, 3, 1, 0], [3, 0, 2, 1], [1, 2, 0, 2]: average [2, 5/3, 1, 1], norms √14, √14, √9.
    expect(row.normSag).toBeCloseTo(Math.sqrt(4 + 25 / 9 + 2) / ((2 * Math.sqrt(14) + 3) / 3), 5);

    const table = await runCli(['diff', m[0].dir, m[1].dir, m[2].dir, '--base', m[3].dir, '--density', '0.5']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout + table.stderr).toMatch(/normSag/);
    expect(table.stdout + table.stderr).toContain('66.7/66.7/66.7%');
    // With three models, the columns that compare only the first two say so.
    expect(table.stdout).toMatch(/maxAbs\(AB\)\s+relL2\(AB\)\s+meanCos/);

    const bad = await runCli(['diff', m[0].dir, m[1].dir, '--density', '0.5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--density needs --base');
  });
});
