/** tokenizer.json through @huggingface/tokenizers (step 4; not wired yet). */
import { InputError } from '../../io/types.js';

export async function loadHfTokenizer(_json: string, file: string, _vocab: number): Promise<(text: string) => Int32Array> {
  throw new InputError(`${file}: tokenizer.json support is not implemented yet`, file);
}
