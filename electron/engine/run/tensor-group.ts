/** Which row of the run panel's layer grid a tensor belongs to, from its name. */
import type { TensorGroup } from './types.js';

export function tensorGroup(name: string): TensorGroup {
  const n = name.toLowerCase();
  if (/(embed|wte|wpe|lm_head|word_embeddings|output\.weight$)/.test(n)) return 'embedding';
  if (/(norm|\.ln_|ln_f|layernorm)/.test(n)) return 'norm';
  if (/(self_attn|\.attn\.|attention|\.attn_)/.test(n)) return 'attention';
  if (/(mlp|feed_forward|block_sparse_moe|experts|ffn|\.fc\d|gate_proj|up_proj|down_proj)/.test(n)) return 'mlp';
  return 'other';
}
