/**
 * A model's tokenizer.json through @huggingface/tokenizers (pure JavaScript, offline: it takes the
 * parsed JSON, no download), encoding without added special tokens (no BOS/EOS), as the probe's
 * loss is defined on the text alone. tokenizer_config.json is passed along when present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { InputError } from '../../io/types.js';

export async function loadHfTokenizer(json: string, file: string, vocab: number): Promise<(text: string) => Int32Array> {
  let tokenizer: Tokenizer;
  try {
    const configFile = join(dirname(file), 'tokenizer_config.json');
    const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as object) : {};
    tokenizer = new Tokenizer(JSON.parse(json) as object, config);
  } catch (e) {
    throw new InputError(`${file}: cannot load the tokenizer (${(e as Error).message})`, file);
  }
  return (text) => {
    const ids = Int32Array.from(tokenizer.encode(text, { add_special_tokens: false }).ids);
    for (const id of ids) {
      if (!(id >= 0 && id < vocab)) throw new InputError(`${file}: the tokenizer produced token id ${id}, outside the model's vocabulary of ${vocab}`, file);
    }
    return ids;
  };
}
