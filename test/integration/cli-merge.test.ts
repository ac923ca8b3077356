/**
 * `crucible merge` end to end: small HF checkpoints built by the test, YAML recipes, the built CLI,
 * and expectations computed here from the spec's arithmetic (float32 per operation, one rounding
 * on output) — never from the engine's own code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointF32, readCheckpointRaw } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, jsonLines, runCli, startCli } from './cli.js';

const fr = Math.fround;

/** float32 → bfloat16 → float32, round-to-nearest-even (the fixture README's formula). */
function bf16(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0];
  const r = ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) << 16;
  return new Float32Array(new Uint32Array([r >>> 0]).buffer)[0];
}

let dir: string;
let base: BuiltCheckpoint;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;

/** A fine-tune: base + small delta, so task vectors are meaningful. */
async function fineTune(seed: number, dtype: 'F32' | 'BF16' = 'F32', sub = 'ft'): Promise<BuiltCheckpoint> {
  return makeLlamaCheckpoint({
    dir: join(dir, `${sub}${seed}`),
    dtype,
    seed,
    layers: 3,
    values: (name, shape, rng) => {
      const b0 = base.tensors.get(name)!;
      const out = new Float32Array(b0.length);
      for (let i = 0; i < out.length; i++) out[i] = b0[i] + 0.01 * rng.normal();
      return out;
    },
  });
}

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-merge');
  base = await makeLlamaCheckpoint({ dir: join(dir, 'base'), layers: 3, seed: 1 });
  a = await fineTune(2);
  b = await fineTune(3);
});
afterAll(removeTempDirs);

async function recipe(name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

describe('crucible merge', () => {
  it('linear: writes the weighted mean, config.json and tokenizer files, and reports done', async () => {
    const r = await recipe(
      'linear.yaml',
      `merge_method: linear\nmodels:\n  - model: ft2\n    parameters:\n      weight: 0.3\n  - model: ft3\n    parameters:\n      weight: 0.7\n`,
    );
    const out = join(dir, 'out-linear');
    const res = await runCli(['merge', r, '--out', out, '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const lines = jsonLines(res.stdout);
    const done = lines.at(-1)!;
    expect(done.type).toBe('done');
    expect(done.out).toBe(out);
    expect(done.tensors).toBe(a.tensors.size);
    expect(lines.some((l) => l.type === 'progress')).toBe(true);
    const merged = await readCheckpointF32(out);
    const c0 = fr(0.3 / 1.0);
    const c1 = fr(0.7 / 1.0);
    for (const [name, va] of a.tensors) {
      const vb = b.tensors.get(name)!;
      const got = merged.get(name)!;
      for (let i = 0; i < va.length; i++) {
        const want = fr(fr(c0 * va[i]) + fr(c1 * vb[i]));
        if (got[i] !== want) throw new Error(`${name}[${i}]: ${got[i]} ≠ ${want}`);
      }
    }
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.torch_dtype).toBe('float32');
    expect(config.num_hidden_layers).toBe(3);
    expect(existsSync(join(out, 'tokenizer.json'))).toBe(true);
    // Nothing left behind beside the output.
    expect(readdirSync(dir).filter((n) => n.startsWith('.crucible-tmp-'))).toEqual([]);
  });

  it('task_arithmetic on bf16 inputs writes bf16, each value rounded once from float32', async () => {
    const bbase = await makeLlamaCheckpoint({ dir: join(dir, 'bbase'), layers: 3, seed: 1, dtype: 'BF16' });
    const x = await makeLlamaCheckpoint({
      dir: join(dir, 'bx'),
      layers: 3,
      seed: 5,
      dtype: 'BF16',
      values: (name, _s, rng) => bbase.tensors.get(name)!.map((v) => v + 0.02 * rng.normal()),
    });
    const r = await recipe(
      'ta.yaml',
      `merge_method: task_arithmetic\nbase_model: bbase\nmodels:\n  - model: bx\n    parameters:\n      weight: 0.6\nparameters:\n  lambda: 0.9\n`,
    );
    const out = join(dir, 'out-ta');
    const res = await runCli(['merge', r, '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const raw = await readCheckpointRaw(out);
    const merged = await readCheckpointF32(out);
    for (const [name, vb] of bbase.tensors) {
      expect(raw.get(name)!.dtype).toBe('BF16');
      const vx = x.tensors.get(name)!;
      const got = merged.get(name)!;
      for (let i = 0; i < vb.length; i++) {
        const delta = fr(vx[i] - vb[i]);
        const mixed = fr(fr(0.6) * delta);
        const want = bf16(fr(vb[i] + fr(fr(0.9) * mixed)));
        if (got[i] !== want) throw new Error(`${name}[${i}]: ${got[i]} ≠ ${want}`);
      }
    }
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).torch_dtype).toBe('bfloat16');
  });

  it('λ = 0 gives the base back bit for bit', async () => {
    const r = await recipe(
      'ties0.yaml',
      `merge_method: ties\nbase_model: base\nmodels:\n  - model: ft2\n    parameters: {weight: 1, density: 0.5}\n  - model: ft3\n    parameters: {weight: 1, density: 0.5}\nparameters:\n  lambda: 0\n`,
    );
    const out = join(dir, 'out-ties0');
    const res = await runCli(['merge', r, '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const merged = await readCheckpointRaw(out);
    const original = await readCheckpointRaw(base.dir);
    for (const [name, t] of original) expect(Buffer.from(merged.get(name)!.bytes).equals(Buffer.from(t.bytes)), name).toBe(true);
  });

  it('ties matches a direct sort-based implementation written here', async () => {
    const r = await recipe(
      'ties.yaml',
      `merge_method: ties\nbase_model: base\nmodels:\n  - model: ft2\n    parameters: {weight: 0.7, density: 0.3}\n  - model: ft3\n    parameters: {weight: 0.5, density: 0.6}\n`,
    );
    const out = join(dir, 'out-ties');
    const res = await runCli(['merge', r, '--out', out, '--threads', '2']);
    expect(res.code, res.stderr).toBe(0);
    const merged = await readCheckpointF32(out);
    const trim = (d: Float32Array, density: number) => {
      const k = Math.floor(density * d.length);
      const order = Array.from(d.keys()).sort((i, j) => Math.abs(d[j]) - Math.abs(d[i]) || i - j);
      const keep = new Float32Array(d.length);
      for (const i of order.slice(0, k)) keep[i] = d[i];
      return keep;
    };
    for (const [name, vb] of base.tensors) {
      const d1 = trim(a.tensors.get(name)!.map((v, i) => fr(v - vb[i])), 0.3);
      const d2 = trim(b.tensors.get(name)!.map((v, i) => fr(v - vb[i])), 0.6);
      const got = merged.get(name)!;
      for (let i = 0; i < vb.length; i++) {
        const w1 = fr(0.7 * d1[i]);
        const w2 = fr(0.5 * d2[i]);
        const positive = fr(w1 + w2) >= 0;
        let mixed = 0;
        let div = 0;
        if (positive ? w1 > 0 : w1 < 0) (mixed = fr(mixed + w1)), (div = fr(div + fr(0.7)));
        if (positive ? w2 > 0 : w2 < 0) (mixed = fr(mixed + w2)), (div = fr(div + fr(0.5)));
        const want = fr(vb[i] + fr(1 * fr(mixed / (div === 0 ? 1 : div))));
        if (Math.abs(got[i] - want) > 1e-6 * Math.max(1, Math.abs(want))) throw new Error(`${name}[${i}]: ${got[i]} ≠ ${want}`);
      }
    }
  });

  it('dare_ties writes the same bits with 1 and 2 threads', async () => {
    const r = await recipe(
      'dare.yaml',
      `merge_method: dare_ties\nbase_model: base\nmodels:\n  - model: ft2\n    parameters: {weight: 0.5, density: 0.4}\n  - model: ft3\n    parameters: {weight: 0.5, density: 0.7}\nrandom_seed: 42\n`,
    );
    const o1 = join(dir, 'out-dare-1');
    const o2 = join(dir, 'out-dare-2');
    expect((await runCli(['merge', r, '--out', o1, '--threads', '1'])).code).toBe(0);
    expect((await runCli(['merge', r, '--out', o2, '--threads', '2'])).code).toBe(0);
    expect(readFileSync(join(o1, 'model.safetensors')).equals(readFileSync(join(o2, 'model.safetensors')))).toBe(true);
  });

  it('reads sharded inputs and writes shards with an index when --shard-size is small', async () => {
    const sharded = await makeLlamaCheckpoint({ dir: join(dir, 'sharded'), layers: 3, seed: 1, shardSizeBytes: 8192 });
    const r = await recipe('shard.yaml', `merge_method: linear\nmodels:\n  - model: sharded\n    parameters: {weight: 1}\n`);
    const out = join(dir, 'out-shard');
    const res = await runCli(['merge', r, '--out', out, '--shard-size', '10KiB']);
    expect(res.code, res.stderr).toBe(0);
    const files = readdirSync(out).filter((f) => f.endsWith('.safetensors')).sort();
    expect(files.length).toBeGreaterThan(1);
    expect(files[0]).toBe(`model-00001-of-${String(files.length).padStart(5, '0')}.safetensors`);
    const index = JSON.parse(readFileSync(join(out, 'model.safetensors.index.json'), 'utf8'));
    const total = [...sharded.tensors.values()].reduce((s, t) => s + t.length * 4, 0);
    expect(index.metadata.total_size).toBe(total);
    // One model with weight 1: the input back, bit for bit.
    const merged = await readCheckpointF32(out);
    for (const [name, t] of sharded.tensors) expect(Buffer.from(merged.get(name)!.buffer).equals(Buffer.from(t.buffer)), name).toBe(true);
  });

  it('refuses an existing output without --force (exit 2) and replaces it with --force', async () => {
    const r = await recipe('one.yaml', `merge_method: linear\nmodels:\n  - model: ft2\n    parameters: {weight: 1}\n`);
    const out = join(dir, 'out-existing');
    expect((await runCli(['merge', r, '--out', out])).code).toBe(0);
    const again = await runCli(['merge', r, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(out);
    expect(again.stderr).toContain('--force');
    const forced = await runCli(['merge', r, '--out', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  });

  it('exit 2 with the file named for a corrupt input, and nothing written', async () => {
    const bad = join(dir, 'corrupt');
    await makeLlamaCheckpoint({ dir: bad, layers: 3, seed: 1 });
    await writeFile(join(bad, 'model.safetensors'), Buffer.from([1, 2, 3]));
    const r = await recipe('bad.yaml', `merge_method: linear\nmodels:\n  - model: corrupt\n    parameters: {weight: 1}\n`);
    const out = join(dir, 'out-corrupt');
    const res = await runCli(['merge', r, '--out', out, '--json']);
    expect(res.code).toBe(2);
    const err = jsonLines(res.stdout).at(-1)!;
    expect(err.type).toBe('error');
    expect(String(err.file)).toContain(join(bad, 'model.safetensors'));
    expect(existsSync(out)).toBe(false);
  });

  it('exit 2 naming the model and tensor when a required weight is missing', async () => {
    const r = await recipe('noweight.yaml', `merge_method: ties\nbase_model: base\nmodels:\n  - model: ft2\n    parameters: {density: 0.5}\n`);
    const res = await runCli(['merge', r, '--out', join(dir, 'out-noweight')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('weight');
    expect(res.stderr).toContain('ft2');
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s cancels within a second: exit 130, no output, no temporary files', async (signal) => {
    const r = await recipe('slow.yaml', `merge_method: linear\nmodels:\n  - model: ft2\n    parameters: {weight: 1}\n  - model: ft3\n    parameters: {weight: 1}\n`);
    const out = join(dir, `out-cancel-${signal}`);
    const { child, done } = startCli(['merge', r, '--out', out, '--json', '--test-delay-ms', '300']);
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('"type":"progress"')) resolve();
      });
    });
    const t0 = Date.now();
    child.kill(signal);
    const res = await done;
    expect(res.code).toBe(130);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('.crucible-tmp-'))).toEqual([]);
  });
});
