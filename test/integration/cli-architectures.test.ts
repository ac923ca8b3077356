/**
 * Inputs of different architectures: `crucible merge` refuses them before reading a tensor (exit 2,
 * naming both architectures, nothing written), as mergekit does, unless --allow-crimes.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLlamaCheckpoint } from '../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { ROOT, assertBuilt, jsonLines, runCli } from './cli.js';

const fixture = (name: string) => join(ROOT, 'test', 'fixtures', name);
let dir: string;

async function linear(name: string, a: string, b: string): Promise<string> {
  const p = join(dir, `${name}.yaml`);
  await writeFile(p, `merge_method: linear\nmodels:\n  - model: ${fixture(a)}\n    parameters: {weight: 0.5}\n  - model: ${fixture(b)}\n    parameters: {weight: 0.5}\ndtype: float32\n`);
  return p;
}

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-architectures');
});
afterAll(removeTempDirs);

describe('crucible merge of different architectures', () => {
  it('refuses GPT-2 with Llama: exit 2, both architectures named, nothing written', async () => {
    const out = join(dir, 'gpt2-llama');
    const r = await runCli(['merge', await linear('gpt2-llama', 'tiny-gpt2', 'tiny-llama'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is GPT2LMHeadModel');
    expect(r.stderr).toContain('is LlamaForCausalLM');
    expect(r.stderr).toContain('--allow-crimes');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses Qwen2 with Llama (their tensor names mostly agree), and says so as the --json error', async () => {
    const out = join(dir, 'qwen-llama');
    const r = await runCli(['merge', await linear('qwen-llama', 'tiny-qwen2', 'tiny-llama'), '--out', out, '--json']);
    expect(r.code).toBe(2);
    const last = jsonLines(r.stdout).at(-1)!;
    expect(last.type).toBe('error');
    expect(String(last.message)).toMatch(/Qwen2ForCausalLM.*LlamaForCausalLM/);
    expect(existsSync(out)).toBe(false);
  });

  it('merges them anyway with --allow-crimes', async () => {
    const out = join(dir, 'qwen-llama-crime');
    const r = await runCli(['merge', await linear('qwen-llama-crime', 'tiny-qwen2', 'tiny-llama'), '--out', out, '--allow-crimes']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
  });
});

describe('crucible probe barrier between models that are not one architecture', () => {
  it('refuses Llama and Qwen2 (exit 2) instead of drawing a line whose ends are neither model', async () => {
    const text = join(dir, 'probe.txt');
    await writeFile(text, 'The quick brown fox jumps over the lazy dog. '.repeat(8));
    const r = await runCli(['probe', 'barrier', fixture('tiny-llama'), fixture('tiny-qwen2'), '--text', text, '--points', '3']);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toMatch(/is LlamaForCausalLM, .* is Qwen2ForCausalLM/);
  });
  it('names the model that lacks a tensor the other has', async () => {
    const three = await makeLlamaCheckpoint({ dir: join(dir, 'three'), layers: 3, seed: 1 });
    const two = await makeLlamaCheckpoint({ dir: join(dir, 'two'), layers: 2, seed: 2 });
    const text = join(dir, 'probe.txt');
    const r = await runCli(['probe', 'barrier', three.dir, two.dir, '--text', text, '--points', '3']);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain(`${two.dir} has no tensor "model.layers.2.`);
  });
});
