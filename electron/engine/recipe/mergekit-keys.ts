/** The keys a mergekit recipe may hold, by where they appear (mergekit 0.1.4's MergeConfiguration). */

export const TOP_LEVEL_KEYS: readonly string[] = [
  'merge_method',
  'base_model',
  'models',
  'slices',
  'parameters',
  'dtype',
  'out_dtype',
  'tokenizer_source',
  'tokenizer',
  'chat_template',
  'name',
  'random_seed',
  'seed',
];

/** `fisher` is Crucible's (Fisher merging's per-model Fisher file); mergekit has no such key. */
export const MODEL_ENTRY_KEYS: readonly string[] = ['model', 'parameters', 'fisher'];
export const SLICE_KEYS: readonly string[] = ['sources', 'parameters'];
export const SLICE_SOURCE_KEYS: readonly string[] = ['model', 'layer_range', 'parameters', 'fisher'];
export const TOKENIZER_KEYS: readonly string[] = ['source', 'tokens', 'pad_to_multiple_of'];

/** Keys only mergekit-moe configs have: such a file is not a merge recipe. */
export const MOE_KEYS: readonly string[] = ['experts', 'gate_mode', 'experts_per_token', 'shared_experts'];
