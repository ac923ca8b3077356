/**
 * config.json and tokenizer files for the output: config from the donor (the base, else the first
 * model) with torch_dtype, the layer count and vocab_size made to match what was written; tokenizer
 * and generation files copied from the tokenizer source (else the donor).
 */
import { copyFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TORCH_DTYPE, type FloatDtype } from '../io/dtype.js';

/** Files that travel with a model but are not weights or config. */
const TOKENIZER_FILES = new Set([
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'tokenizer.model',
  'vocab.json',
  'vocab.txt',
  'merges.txt',
  'added_tokens.json',
  'generation_config.json',
  'chat_template.jinja',
  'chat_template.json',
]);

const LAYER_KEYS = ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers'];

export function outputConfig(
  donor: Record<string, unknown> | undefined,
  opts: { dtype?: FloatDtype; layerCount?: number; vocabSize?: number; tieWordEmbeddings?: boolean },
): Record<string, unknown> | undefined {
  if (!donor) return undefined;
  const config: Record<string, unknown> = structuredClone(donor);
  if (opts.dtype) config.torch_dtype = TORCH_DTYPE[opts.dtype];
  if (opts.layerCount !== undefined) {
    const key = LAYER_KEYS.find((k) => typeof config[k] === 'number') ?? 'num_hidden_layers';
    config[key] = opts.layerCount;
    // Nested text configs (multimodal wrappers) keep their own count.
    const text = config.text_config as Record<string, unknown> | undefined;
    if (text && typeof text.num_hidden_layers === 'number') text.num_hidden_layers = opts.layerCount;
  }
  if (opts.vocabSize !== undefined) config.vocab_size = opts.vocabSize;
  if (opts.tieWordEmbeddings !== undefined) config.tie_word_embeddings = opts.tieWordEmbeddings;
  return config;
}

export async function writeConfig(folder: string, config: Record<string, unknown> | undefined): Promise<void> {
  if (config) await writeFile(join(folder, 'config.json'), JSON.stringify(config, null, 2) + '\n');
}

/** Copies tokenizer and generation files from `source` (a model folder); returns the names copied. */
export async function copyTokenizerFiles(source: string | undefined, folder: string): Promise<string[]> {
  if (!source) return [];
  let names: string[];
  try {
    names = await readdir(source);
  } catch {
    return [];
  }
  const copied: string[] = [];
  for (const name of names) {
    if (!TOKENIZER_FILES.has(name)) continue;
    await copyFile(join(source, name), join(folder, name));
    copied.push(name);
  }
  return copied;
}
