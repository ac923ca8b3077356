/** One compute backend per worker thread, created on first use and reused for every task. */
import { createBackend, type BackendPreference } from '../backend/select-backend.js';
import type { Backend } from '../backend/types.js';

let backend: Backend | undefined;
let chosen: BackendPreference | undefined;

/** The WebAssembly SIMD backend when it loads ('auto'), else the TypeScript reference: the same bits either way. */
export function workerBackend(preference: BackendPreference): Backend {
  if (!backend || chosen !== preference) {
    chosen = preference;
    backend = createBackend(preference).backend;
  }
  return backend;
}
