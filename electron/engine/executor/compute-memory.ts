/**
 * Working memory of one compute task, its scratch buffers: one chunk of float32 per input plus
 * accumulators, the file streams' raw I/O buffers, and the radix-select histograms. The worker
 * reserves exactly this before a task (worker.ts), and the scheduler budgets it (build-units.ts).
 */
import { HISTOGRAMS_PER_INPUT } from '../methods/lib/cut-window.js';
import { MAX_READ_BYTES } from './file-streams.js';

export function computeMemoryBytes(inputs: number, chunk: number): number {
  return (inputs + 8) * chunk * 4 + 4 * MAX_READ_BYTES + inputs * HISTOGRAMS_PER_INPUT * 65536 * 4;
}
