/** mergekit's `model+lora` references: the adapter applied to its base as a merge input, end to end. */
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpointF32 } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { ROOT, assertBuilt, runCli } from './cli.js';

const FIX = join(ROOT, 'test', 'fixtures');
let dir: string;
beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-lora');
});
afterAll(removeTempDirs);

describe('crucible merge with model+lora', () => {
  it("passes the adapted base through: q_proj matches PEFT's merged weight, the overlay is removed", async () => {
    const recipe = join(dir, 'lora.yaml');
    await writeFile(recipe, `merge_method: passthrough\nmodels:\n  - model: ${join(FIX, 'tiny-llama')}+${join(FIX, 'tiny-lora')}\n`);
    const out = join(dir, 'out');
    const res = await runCli(['merge', recipe, '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const merged = await readCheckpointF32(out);
    const expected = await readCheckpointF32(join(FIX, 'tiny-lora', 'expected-merged-q_proj-0.safetensors'));
    const name = 'model.layers.0.self_attn.q_proj.weight';
    const got = merged.get(name)!;
    const want = expected.get(name)!;
    let maxDiff = 0;
    for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
    // Untargeted tensors are the base's own.
    const base = await readCheckpointF32(join(FIX, 'tiny-llama'));
    const up = 'model.layers.0.mlp.up_proj.weight';
    expect(Buffer.from(merged.get(up)!.buffer).equals(Buffer.from(base.get(up)!.buffer))).toBe(true);
    expect(readdirSync(dir).filter((n) => n.startsWith('.crucible-tmp-'))).toEqual([]);
    expect(existsSync(join(out, 'config.json'))).toBe(true);
  });
});
