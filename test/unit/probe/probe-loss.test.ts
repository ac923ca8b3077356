/** probeLoss end to end: byte tokenization, windows, and PyTorch's per-sequence losses. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeLoss } from '../../../electron/engine/probe/probe-loss.js';
import { readProbeText } from '../../../electron/engine/probe/text/probe-text.js';
import { BYTE_TOKENIZER } from '../../../electron/engine/probe/text/tokenizer.js';
import { makeLlamaCheckpoint } from '../../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';
import { FIXTURES, readReference } from './fixture-forward.js';

afterAll(removeTempDirs);

describe('probeLoss', () => {
  it('tokenizes by bytes when the vocabulary is 256 and no tokenizer.json exists, and matches PyTorch per sequence', async () => {
    const ref = readReference('tiny-llama');
    // The 24-byte prefixes of the two reference texts (README: token id = UTF-8 byte value).
    const texts = [
      { name: 'fox', text: 'The quick brown fox jump' },
      { name: 'loop', text: 'for (int i = 0; i < n; i' },
    ];
    expect([...BYTE_TOKENIZER.encode(texts[0].text)]).toEqual(ref.input_ids[0]);
    const r = await probeLoss(join(FIXTURES, 'tiny-llama'), texts);
    expect(r.texts.map((t) => t.tokens)).toEqual([23, 23]);
    r.texts.forEach((t, b) => expect(Math.abs(t.loss - ref.per_sequence_loss[b])).toBeLessThanOrEqual(1e-5));
    expect(Math.abs(r.loss - ref.mean_next_token_loss)).toBeLessThanOrEqual(1e-5);
  });

  it('counts predictions by the window rule and reads the checkpoint once', async () => {
    const text = 'The quick brown fox jumps over the lazy dog.'; // 44 bytes
    const r = await probeLoss(join(FIXTURES, 'tiny-gpt2'), [{ name: 't', text }], { window: 16, stride: 16 });
    // windows [0,16) [16,32) [32,44): 15 + 15 + 11 predictions
    expect(r.tokens).toBe(41);
    const strided = await probeLoss(join(FIXTURES, 'tiny-gpt2'), [{ name: 't', text }], { window: 16, stride: 8 });
    expect(strided.tokens).toBe(43);
    expect(Math.max(...strided.io.reads.values())).toBe(1);
  });

  it('refuses a model without tokenizer.json whose vocabulary is not 256, naming the folder', async () => {
    const ck = await makeLlamaCheckpoint({ tokenizer: false, vocab: 32 });
    await expect(probeLoss(ck.dir, [{ name: 't', text: 'hello' }])).rejects.toThrow(ck.dir);
  });

  it('refuses a window longer than GPT-2 positions', async () => {
    const dir = await makeTempDir('probe-text');
    const file = join(dir, 'long.txt');
    await writeFile(file, 'x'.repeat(300));
    const t = await readProbeText(file);
    await expect(probeLoss(join(FIXTURES, 'tiny-gpt2'), [t], { window: 256 })).rejects.toThrow(/n_positions 128/);
  });
});
