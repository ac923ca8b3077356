/** tokenizer.json through @huggingface/tokenizers: hand-made BPE, no added special tokens, wired into probeLoss. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeLoss } from '../../../electron/engine/probe/probe-loss.js';
import { tokenizerFor } from '../../../electron/engine/probe/text/tokenizer.js';
import { makeLlamaCheckpoint } from '../../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

/** A BPE over the characters a, b, c and space, with merges a+b and ab+c, and a BOS template. */
const TOKENIZER = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: [{ id: 5, content: '<s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
  normalizer: null,
  pre_tokenizer: null,
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
    pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
    special_tokens: { '<s>': { id: '<s>', ids: [5], tokens: ['<s>'] } },
  },
  decoder: null,
  model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, vocab: { a: 0, b: 1, c: 2, ab: 3, abc: 4, '<s>': 5, ' ': 6 }, merges: ['a b', 'ab c'] },
};

async function folderWithTokenizer(): Promise<string> {
  const dir = await makeTempDir('tok');
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(TOKENIZER));
  return dir;
}

describe('tokenizer.json', () => {
  it('applies the BPE merges and adds no special tokens', async () => {
    const tok = await tokenizerFor(await folderWithTokenizer(), 8);
    expect(tok.kind).toBe('tokenizer.json');
    expect(tok.id).toMatch(/^[0-9a-f]{64}$/);
    // "abcab a" → abc | ab | ' ' | a (no leading <s> although the template adds one)
    expect([...tok.encode('abcab a')]).toEqual([4, 3, 6, 0]);
  });

  it('is preferred over bytes even when the vocabulary is 256', async () => {
    const tok = await tokenizerFor(await folderWithTokenizer(), 256);
    expect(tok.kind).toBe('tokenizer.json');
  });

  it('refuses ids outside the model vocabulary, naming the file', async () => {
    const dir = await folderWithTokenizer();
    const tok = await tokenizerFor(dir, 4);
    expect(() => tok.encode('abc')).toThrow(join(dir, 'tokenizer.json'));
  });

  it('tokenizes the probe text of a model folder', async () => {
    const ck = await makeLlamaCheckpoint({ vocab: 8, tokenizer: false });
    await writeFile(join(ck.dir, 'tokenizer.json'), JSON.stringify(TOKENIZER));
    const r = await probeLoss(ck.dir, [{ name: 't', text: 'abcab a ab c' }]);
    // abc ab ' ' a ' ' ab ' ' c: 8 tokens, 7 predictions
    expect(r.tokens).toBe(7);
    expect(Number.isFinite(r.loss)).toBe(true);
  });
});
