/**
 * mergekit's `model+lora` references: splitting one, and the key a model goes by (the reference
 * exactly as written). Pure, so the graph (common/) and the engine use the same rule.
 */
import type { ModelSpec } from './types.js';

/** Splits mergekit's `path+lora_path`; undefined when the reference has more than one '+'. */
export function splitLoraRef(ref: string): { model: string; lora?: string } | undefined {
  const parts = ref.split('+');
  if (parts.length === 1) return { model: ref };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { model: parts[0], lora: parts[1] };
  return undefined;
}

/** The key of a model in a plan and in the checkpoints map: the reference as written (`model+lora`). */
export function modelKeyOf(spec: Pick<ModelSpec, 'model' | 'lora'>): string {
  return spec.lora === undefined ? spec.model : `${spec.model}+${spec.lora}`;
}
