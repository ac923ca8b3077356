/**
 * mergekit's `model+lora` references: the adapter applied to its base as a merge input, end to end;
 * the output records a graph with a LoRA node and reopens (`recipe extract`, `verify`) after the adapter moved.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
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

  it('records its graph (a LoRA node over the base): recipe extract reopens it and verify re-runs it after the adapter moved', async () => {
    const adapter = join(dir, 'adapters', 'chat');
    mkdirSync(adapter, { recursive: true });
    for (const f of ['adapter_config.json', 'adapter_model.safetensors']) cpSync(join(FIX, 'tiny-lora', f), join(adapter, f));
    const recipe = join(dir, 'blend.yaml');
    const base = join(FIX, 'tiny-llama');
    await writeFile(recipe, `merge_method: linear\nmodels:\n  - model: ${base}\n    parameters: {weight: 0.25}\n  - model: ${base}+${adapter}\n    parameters: {weight: 0.75}\n`);
    mkdirSync(join(dir, 'outs'));
    const out = join(dir, 'outs', 'blend');
    expect((await runCli(['merge', recipe, '--out', out])).code).toBe(0);

    const moved = join(dir, 'outs', 'adapters', 'chat');
    mkdirSync(join(dir, 'outs', 'adapters'));
    renameSync(adapter, moved);
    const graphFile = join(dir, 'blend.graph.json');
    const extracted = await runCli(['recipe', 'extract', out, '--out', graphFile]);
    expect(extracted.code, extracted.stderr).toBe(0);
    expect(extracted.stderr).toContain(`input '${adapter}' moved: found by header hash at ${moved}`);
    const graph = JSON.parse(readFileSync(graphFile, 'utf8')) as { nodes: { id: string; data: Record<string, unknown> }[]; edges: { source: string; target: string; targetHandle: string }[] };
    const lora = graph.nodes.find((n) => n.data.kind === 'lora')!;
    expect(lora.data).toEqual({ kind: 'lora', adapter: moved, mode: 'model' });
    const model = graph.nodes.find((n) => n.data.kind === 'model')!;
    expect(model.data).toEqual({ kind: 'model', path: base });
    expect(graph.edges.some((e) => e.source === model.id && e.target === lora.id && e.targetHandle === 'base')).toBe(true);

    const verified = await runCli(['verify', out]);
    expect(verified.code, verified.stderr).toBe(0);
  });
});
