/** One compute backend per worker thread, created on first use and reused for every task. */
import { TsBackend } from '../backend/ts-backend.js';
import type { Backend } from '../backend/types.js';

let backend: Promise<Backend> | undefined;
let chosen: string | undefined;

export function workerBackend(preference: 'auto' | 'wasm' | 'ts'): Promise<Backend> {
  if (!backend || chosen !== preference) {
    chosen = preference;
    backend = Promise.resolve(new TsBackend());
  }
  return backend;
}
