/** Inputs of one merge must be one architecture and agree on layer count and tensor shapes (vocabulary rows of embeddings may differ). */
import type { CheckpointSummary } from '../contract/checkpoint.js';
import { architectureMismatch } from '../recipe/architecture-match.js';
import { isEmbeddingLike } from './tensor-naming.js';
import { invalid, VALID, type Validity } from './validity.js';

export interface NamedSummary {
  name: string;
  summary: CheckpointSummary;
}

export function checkHeaderCompat(inputs: NamedSummary[]): Validity {
  if (inputs.length < 2) return VALID;
  const mismatch = architectureMismatch(inputs.map((i) => ({ name: i.name, architecture: i.summary.architecture, tensorNames: i.summary.tensors.map((t) => t.name) })));
  if (mismatch) return invalid(mismatch);
  const [first, ...rest] = inputs;
  for (const other of rest) {
    const a = first.summary.layerCount;
    const b = other.summary.layerCount;
    if (a !== null && b !== null && a !== b) {
      return invalid(`Layer counts differ: ${first.name} has ${a} layers, ${other.name} has ${b}.`);
    }
  }
  const shapes = new Map(first.summary.tensors.map((t) => [t.name, t.shape]));
  for (const other of rest) {
    for (const t of other.summary.tensors) {
      const s = shapes.get(t.name);
      if (!s) continue;
      const same = s.length === t.shape.length && s.every((d, i) => d === t.shape[i]);
      if (same) continue;
      const vocabOnly = isEmbeddingLike(t.name) && s.length === t.shape.length && s.slice(1).every((d, i) => d === t.shape[i + 1]);
      if (vocabOnly) continue;
      return invalid(`Shapes differ for ${t.name}: ${first.name} [${s.join(', ')}], ${other.name} [${t.shape.join(', ')}].`);
    }
  }
  return VALID;
}
