/**
 * The Output node a recipe lays out with: its dtype (out_dtype, else dtype) and the recipe's own
 * dtype key, seed, folder, tokenizer
 * source and chat template (an earlier stage's tokenizer settings go on its merge node the same way).
 */
import type { MergeRecipe } from '../recipe/types.js';
import { DEFAULT_SHARD_SIZE } from './migrations.js';
import type { OutputDtype, OutputNodeData, TokenizerSettings } from './project-schema.js';

export function outDtype(s: string | undefined): OutputDtype {
  const d = (s ?? '').toLowerCase();
  if (d === 'float32' || d === 'fp32') return 'float32';
  if (d === 'float16' || d === 'fp16') return 'float16';
  if (d === 'bfloat16' || d === 'bf16') return 'bfloat16';
  return 'auto';
}

export function recipeOutputData(recipe: MergeRecipe, folder: string): OutputNodeData {
  return {
    kind: 'output',
    folder,
    dtype: outDtype(recipe.outDtype ?? recipe.dtype),
    // mergekit's dtype key itself, kept to be written back as the recipe had it.
    ...(recipe.dtype !== undefined ? { recipeDtype: recipe.dtype } : {}),
    shardSize: DEFAULT_SHARD_SIZE,
    seed: recipe.seed ?? 0,
    overwrite: false,
    ...recipeTokenizerSettings(recipe),
  };
}

/** A recipe's tokenizer_source and chat_template, as the graph holds them (on the Output, or on a stage's merge node). */
export function recipeTokenizerSettings(recipe: MergeRecipe): TokenizerSettings {
  return {
    ...(recipe.tokenizerSource !== undefined ? { tokenizerSource: recipe.tokenizerSource } : {}),
    ...(recipe.chatTemplate !== undefined ? { chatTemplate: recipe.chatTemplate } : {}),
  };
}
