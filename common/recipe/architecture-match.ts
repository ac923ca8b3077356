/**
 * Whether the inputs of one merge are the same kind of model. Merging a GPT-2 into a Llama pairs
 * nothing with nothing: each tensor comes from the one model that has it, and the output is neither
 * model. mergekit refuses such merges unless told `--allow-crimes`; the editor and the engine use
 * this one rule, so a graph that shows no problem does not fail at Run, and the reverse.
 */

export interface ArchitectureInput {
  /** How the user knows the input (a node title, the recipe's model reference). */
  name: string;
  /** config.json's architectures[0], when there is a config. */
  architecture?: string | null;
  tensorNames: readonly string[];
}

/**
 * Inputs whose tensors mostly differ: fewer than half of the smaller tensor list in common. A tied
 * or separate lm_head, or Qwen2's attention biases, stay well above that; unrelated models share
 * nothing.
 */
const MIN_SHARED = 0.5;

/** The reason the inputs cannot be merged tensor by tensor, or null when they can. */
export function architectureMismatch(inputs: readonly ArchitectureInput[]): string | null {
  if (inputs.length < 2) return null;
  const [first, ...rest] = inputs;
  for (const other of rest) {
    const a = first.architecture;
    const b = other.architecture;
    if (a && b && a !== b) {
      return `Architectures differ: ${first.name} is ${a}, ${other.name} is ${b}. Their tensors do not correspond, so they cannot be merged (mergekit calls this a crime).`;
    }
  }
  const names = new Set(first.tensorNames);
  for (const other of rest) {
    const shared = other.tensorNames.filter((n) => names.has(n)).length;
    const smaller = Math.min(names.size, other.tensorNames.length);
    if (smaller > 0 && shared < MIN_SHARED * smaller) {
      return `${first.name} and ${other.name} have ${shared} of their tensors in common (${names.size} and ${other.tensorNames.length} tensors): they are not the same architecture, so they cannot be merged tensor by tensor.`;
    }
  }
  return null;
}
