/**
 * Tokenizers of the probe: the model's tokenizer.json (through @huggingface/tokenizers, without
 * added special tokens), or raw UTF-8 bytes when the vocabulary has 256 entries and the model
 * ships no tokenizer.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../io/types.js';
import { loadHfTokenizer } from './hf-tokenizer.js';

export interface ProbeTokenizer {
  kind: 'bytes' | 'tokenizer.json';
  /** 'bytes', or the sha256 of tokenizer.json: part of the probe cache key. */
  id: string;
  encode(text: string): Int32Array;
}

export const BYTE_TOKENIZER: ProbeTokenizer = {
  kind: 'bytes',
  id: 'bytes',
  encode: (text) => Int32Array.from(Buffer.from(text, 'utf8')),
};

/** The tokenizer for a model folder with vocabulary `vocab`; refuses when there is none that fits. */
export async function tokenizerFor(folder: string, vocab: number): Promise<ProbeTokenizer> {
  const file = join(folder, 'tokenizer.json');
  if (existsSync(file)) {
    const bytes = await readFile(file);
    const id = createHash('sha256').update(bytes).digest('hex');
    return { kind: 'tokenizer.json', id, encode: await loadHfTokenizer(bytes.toString('utf8'), file, vocab) };
  }
  if (vocab === 256) return BYTE_TOKENIZER;
  throw new InputError(`${folder}: no tokenizer.json, and the vocabulary (${vocab}) is not 256 bytes; the probe cannot tokenize text for this model`, folder);
}
