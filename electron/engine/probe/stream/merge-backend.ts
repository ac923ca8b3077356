/**
 * The merge kernels' backend for previews: TypeScript, as the merge executor's workers use today
 * (executor/worker-backend.ts). The WebAssembly backend writes the same bits and can be passed
 * explicitly (mergeBackend) where the method's kernel supports it; it is not the default because
 * not every kernel does yet (the magnitude sparsifier's histogram is not a backend buffer).
 */
import { TsBackend } from '../../backend/ts-backend.js';
import type { Backend } from '../../backend/types.js';

let chosen: Backend | undefined;

export function defaultMergeBackend(): Backend {
  chosen ??= new TsBackend();
  return chosen;
}
