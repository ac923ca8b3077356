/** rope_scaling: linear and llama3 inverse frequencies by hand; other types refused; scaled models run. */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRopeScaling, ropeInvFreq } from '../../../electron/engine/probe/arch/rope-frequencies.js';
import { probeLoss } from '../../../electron/engine/probe/probe-loss.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { FIXTURES } from './fixture-forward.js';

afterAll(removeTempDirs);

describe('RoPE inverse frequencies', () => {
  it('default: 1 / theta^(2i/d)', () => {
    const inv = ropeInvFreq(8, 10000);
    [1, 0.1, 0.01, 0.001].forEach((v, i) => expect(inv[i]).toBeCloseTo(v, 7));
  });

  it('linear: divided by the factor', () => {
    const inv = ropeInvFreq(8, 10000, { type: 'linear', factor: 4 });
    [0.25, 0.025, 0.0025, 0.00025].forEach((v, i) => expect(inv[i]).toBeCloseTo(v, 8));
  });

  it('llama3: high frequencies kept, low divided by the factor, the band between blended', () => {
    // theta 10000, d 8: wavelengths 2π·[1, 10, 100, 1000] ≈ 6.28, 62.8, 628, 6283.
    // original 1024 positions, low 1, high 4: low-frequency wavelength 1024, high-frequency 256.
    const s = { type: 'llama3' as const, factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 1024 };
    const inv = ropeInvFreq(8, 10000, s);
    expect(inv[0]).toBeCloseTo(1, 7);
    expect(inv[1]).toBeCloseTo(0.1, 7);
    // wavelength 628.3 lies in [256, 1024]: smooth = (1024/628.3 − 1)/3 = 0.20993; (1 − smooth)·f/8 + smooth·f
    const f = 0.01;
    const smooth = (1024 / (2 * Math.PI * 100) - 1) / 3;
    expect(inv[2]).toBeCloseTo(((1 - smooth) * f) / 8 + smooth * f, 8);
    expect(inv[3]).toBeCloseTo(0.001 / 8, 9);
  });

  it('refuses other rope types and names the file; accepts null and "default"', () => {
    expect(() => parseRopeScaling({ rope_scaling: { type: 'yarn', factor: 4 } }, '/m/config.json')).toThrow(/\/m\/config\.json: rope_scaling of type "yarn" is not implemented/);
    expect(() => parseRopeScaling({ rope_scaling: { rope_type: 'dynamic', factor: 2 } }, 'f')).toThrow(/"dynamic"/);
    expect(parseRopeScaling({ rope_scaling: null }, 'f')).toBeUndefined();
    expect(parseRopeScaling({ rope_scaling: { rope_type: 'default' } }, 'f')).toBeUndefined();
    expect(() => parseRopeScaling({ rope_scaling: { type: 'linear' } }, 'f')).toThrow(/factor/);
  });
});

describe('scaled models', () => {
  async function withConfig(patch: Record<string, unknown>): Promise<string> {
    const dir = await makeTempDir('rope');
    await cp(join(FIXTURES, 'tiny-llama'), dir, { recursive: true });
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, ...patch }));
    return dir;
  }
  const text = [{ name: 't', text: 'The quick brown fox jumps over the lazy dog.' }];

  it('run with linear and llama3 scaling, and factor 1 changes nothing', async () => {
    const plain = await probeLoss(join(FIXTURES, 'tiny-llama'), text);
    const one = await probeLoss(await withConfig({ rope_scaling: { type: 'linear', factor: 1 } }), text);
    expect(one.loss).toBe(plain.loss);
    const lin = await probeLoss(await withConfig({ rope_scaling: { type: 'linear', factor: 4 } }), text);
    const l3 = await probeLoss(await withConfig({ rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 16 } }), text);
    expect(lin.loss).not.toBe(plain.loss);
    expect(l3.loss).not.toBe(plain.loss);
    expect(Math.abs(lin.loss - plain.loss)).toBeLessThan(0.5);
  });

  it('refuse unsupported architectures and options by name', async () => {
    await expect(probeLoss(await withConfig({ rope_scaling: { type: 'yarn', factor: 2 } }), text)).rejects.toThrow(/yarn/);
    await expect(probeLoss(await withConfig({ architectures: ['PhiForCausalLM'], model_type: 'phi' }), text)).rejects.toThrow(/no forward pass for PhiForCausalLM/);
    await expect(probeLoss(await withConfig({ hidden_act: 'gelu' }), text)).rejects.toThrow(/hidden_act "gelu"/);
    // Qwen2 needs q/k/v biases, which tiny-llama lacks: the message names the first missing tensor.
    await expect(probeLoss(await withConfig({ architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2' }), text)).rejects.toThrow(/"model\.layers\.0\.self_attn\.q_proj\.bias"/);
    await expect(probeLoss(await withConfig({ architectures: ['MistralForCausalLM'], model_type: 'mistral', sliding_window: 16 }), text, { window: 32 })).rejects.toThrow(/sliding_window 16/);
  });
});
