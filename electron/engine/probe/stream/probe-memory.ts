/**
 * The memory a streaming probe needs (evaluate-variants.ts), from headers alone: the weights of
 * its heaviest stage (about one layer's inputs as stored plus one variant's formed float32
 * weights), every variant's activations, and the program's working buffers.
 */
import { part, type MemoryNeed } from '../../executor/memory-need.js';
import type { ProbeProgram } from './program.js';
import type { VariantSource } from './variant-source.js';

/** Call after source.prepare(program.stages). */
export function probeMemoryNeed(program: ProbeProgram<unknown>, source: VariantSource, task: string): MemoryNeed {
  const K = source.variants;
  let weights = 0;
  let heaviest = 0;
  program.stages.forEach((_, i) => {
    const b = source.stageBytes(i);
    if (b > weights) {
      weights = b;
      heaviest = i;
    }
  });
  const activations = K * (program.memory?.perVariantBytes ?? 0);
  const working = program.memory?.workingBytes ?? 0;
  const label = program.stages[heaviest]?.label ?? 'none';
  return {
    task,
    bytes: weights + activations + working,
    detail: [part(`the weights of its largest stage (${label})`, weights), part(`${K} variant${K === 1 ? "'s" : "s'"} activations`, activations), part('working buffers', working)].join(' + '),
    hint: K > 1 ? 'use fewer points or shorter probe texts' : 'use shorter probe texts',
  };
}
