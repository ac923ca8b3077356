/**
 * The Base input of a merge or Layer assembly node. A method that merges a base takes it as
 * "Base" (required) or "Base (optional)"; one that merges none (linear, passthrough, Karcher,
 * Fisher) still takes a base as mergekit's `base_model` does for such methods: the donor of the
 * output's config.json and tokenizer files (`tokenizer_source: base`), its weights not merged.
 */
import type { MethodDescriptor } from '../methods/types.js';
import type { PortSpec } from './ports.js';

export const DONOR_ONLY_HINT = 'Donor only: the output takes its config.json and tokenizer files from this model (tokenizer source “base”); its weights are not merged.';

export function basePort(method: MethodDescriptor): PortSpec {
  if (method.base === 'none') return { id: 'base', label: 'Base (donor only: config, tokenizer)', accepts: ['weights'], multiple: false, hint: DONOR_ONLY_HINT };
  return { id: 'base', label: method.base === 'required' ? 'Base' : 'Base (optional)', accepts: ['weights'], multiple: false };
}
