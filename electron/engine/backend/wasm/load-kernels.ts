/**
 * Finds and compiles dist/native/kernels.wasm once per thread (compiled modules are per isolate;
 * each WasmBackend instantiates its own copy with its own memory).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { wasmApi, type WasmModule } from './wasm-api.js';

/** The built kernels, seen from the built JavaScript (dist/electron/engine/backend/wasm/) and from the TypeScript sources. */
export function kernelCandidates(): string[] {
  return [
    fileURLToPath(new URL('../../../../native/kernels.wasm', import.meta.url)),
    fileURLToPath(new URL('../../../../dist/native/kernels.wasm', import.meta.url)),
  ];
}

export interface LoadedKernels {
  module: WasmModule;
  file: string;
}

const cache = new Map<string, LoadedKernels>();

/** Compiles the kernels at `file`, or at the first existing candidate; throws a message saying what to do. */
export function loadKernelModule(file?: string): LoadedKernels {
  const path = file ?? kernelCandidates().find((p) => existsSync(p));
  if (!path) {
    throw new Error(`WebAssembly kernels not found (looked for ${kernelCandidates().join(' and ')}); run npm run build:native`);
  }
  const hit = cache.get(path);
  if (hit) return hit;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read the WebAssembly kernels ${path}: ${(err as Error).message}`);
  }
  const api = wasmApi();
  if (!api) throw new Error('this JavaScript runtime has no WebAssembly');
  let module: WasmModule;
  try {
    module = new api.Module(bytes);
  } catch (err) {
    throw new Error(`cannot compile the WebAssembly kernels ${path} (this runtime may lack WebAssembly SIMD): ${(err as Error).message}`);
  }
  const loaded = { module, file: path };
  cache.set(path, loaded);
  return loaded;
}
