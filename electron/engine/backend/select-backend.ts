/**
 * Chooses the compute backend for a worker thread: the WebAssembly SIMD kernels when they load,
 * else the TypeScript reference (the same bits, slower), always with a reason to log or show.
 */
import { TsBackend } from './ts-backend.js';
import type { Backend } from './types.js';
import { WasmBackend, type WasmBackendOptions } from './wasm-backend.js';
import { wasmUnavailableReason } from './wasm/wasm-api.js';

export type BackendPreference = 'auto' | 'wasm' | 'ts';

export interface BackendChoice {
  backend: Backend;
  /** Why this backend: names the kernels file, or says why WebAssembly could not be used. */
  reason: string;
}

/**
 * 'ts' always gives TsBackend; 'auto' gives WasmBackend when possible and otherwise falls back to
 * TsBackend; 'wasm' insists and throws with the reason when WebAssembly cannot be used.
 */
export function createBackend(preference: BackendPreference = 'auto', options: WasmBackendOptions = {}): BackendChoice {
  if (preference === 'ts') return { backend: new TsBackend(), reason: 'TypeScript backend requested' };
  let why = wasmUnavailableReason();
  if (why === undefined) {
    try {
      const backend = new WasmBackend(options);
      return { backend, reason: `WebAssembly SIMD kernels from ${backend.file}` };
    } catch (err) {
      why = (err as Error).message;
    }
  }
  if (preference === 'wasm') throw new Error(`the WebAssembly backend is unavailable: ${why}`);
  return { backend: new TsBackend(), reason: `TypeScript fallback: ${why}` };
}
