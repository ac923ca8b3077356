/**
 * What a Fisher estimate holds (estimate-fisher.ts), from headers alone: the weights as float32,
 * the Fisher sums and one window's (or batch's) gradients, each about the model's float32 size,
 * and for a language model one window's activations kept for the backward pass and its logits.
 */
import { isFloatDtype } from '../io/dtype.js';
import type { CheckpointInfo } from '../io/types.js';
import { part, type MemoryNeed } from '../executor/memory-need.js';
import { detectLanguageModel } from '../probe/arch/detect-language-model.js';
import { looksLikeMlp } from '../probe/mlp/mlp-spec.js';
import { resolveWindowOptions, type WindowOptions } from '../probe/text/windows.js';

export function fisherMemory(ck: CheckpointInfo, opts: WindowOptions, task: string): MemoryNeed {
  let params = 0;
  for (const t of ck.tensors.values()) if (isFloatDtype(t.dtype)) params += t.numel;
  const model = 3 * 4 * params;
  let activations = 0;
  if (!looksLikeMlp(ck)) {
    const spec = detectLanguageModel(ck);
    const T = resolveWindowOptions(opts).window;
    const F = spec.kind === 'llama' ? spec.intermediate : spec.inner;
    activations = 4 * T * (spec.layers * (8 * spec.hidden + 3 * F) + 2 * spec.vocab);
  }
  return {
    task,
    bytes: model + activations,
    detail: [part('weights, Fisher sums and gradients as float32', model), ...(activations ? [part("one window's activations", activations)] : [])].join(' + '),
    hint: activations ? 'use a shorter probe window' : undefined,
  };
}
