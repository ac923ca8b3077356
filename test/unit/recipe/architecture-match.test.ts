/** One merge, one architecture: inputs whose architectures differ, or whose tensors mostly differ, are refused. */
import { describe, expect, it } from 'vitest';
import { architectureMismatch } from '../../../common/recipe/architecture-match.js';

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}.${i}.weight`);

describe('architectureMismatch', () => {
  it('refuses two architectures named by config.json, naming both inputs and both architectures', () => {
    const r = architectureMismatch([
      { name: 'Model gpt2', architecture: 'GPT2LMHeadModel', tensorNames: names('t', 4) },
      { name: 'Model llama', architecture: 'LlamaForCausalLM', tensorNames: names('t', 4) },
    ]);
    expect(r).toContain('Model gpt2 is GPT2LMHeadModel');
    expect(r).toContain('Model llama is LlamaForCausalLM');
  });
  it('accepts one architecture, and inputs without a config whose tensors match', () => {
    expect(architectureMismatch([
      { name: 'a', architecture: 'LlamaForCausalLM', tensorNames: names('t', 4) },
      { name: 'b', architecture: 'LlamaForCausalLM', tensorNames: names('t', 4) },
    ])).toBeNull();
    expect(architectureMismatch([
      { name: 'a', tensorNames: names('t', 4) },
      { name: 'b', architecture: null, tensorNames: names('t', 4) },
    ])).toBeNull();
    expect(architectureMismatch([{ name: 'alone', architecture: 'X', tensorNames: [] }])).toBeNull();
  });
  it('refuses inputs without a config that share no tensor', () => {
    expect(architectureMismatch([
      { name: 'a', tensorNames: names('transformer.h', 6) },
      { name: 'b', tensorNames: names('model.layers', 6) },
    ])).toContain('have 0 of their tensors in common (6 and 6 tensors)');
  });
  it('draws the line at half of the smaller tensor list in common', () => {
    // 8 tensors each: 4 in common is half (accepted), 3 is not.
    const a = names('t', 8);
    expect(architectureMismatch([{ name: 'a', tensorNames: a }, { name: 'b', tensorNames: [...a.slice(0, 4), ...names('u', 4)] }])).toBeNull();
    expect(architectureMismatch([{ name: 'a', tensorNames: a }, { name: 'b', tensorNames: [...a.slice(0, 3), ...names('u', 5)] }])).toContain('have 3 of');
    // Extra tensors of one input (Qwen2's attention biases, a separate lm_head) do not count against it.
    expect(architectureMismatch([{ name: 'a', tensorNames: a }, { name: 'b', tensorNames: [...a, ...names('bias', 6)] }])).toBeNull();
  });
});
