/**
 * The few WebAssembly JS API members the backend uses, typed here because the Node-side
 * TypeScript config has no DOM lib (where TypeScript declares `WebAssembly`) and @types/node 20
 * does not declare it either. A local typing avoids clashing with the DOM lib in test configs.
 */
export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  /** Grows by `pages` 64 KiB pages; returns the previous size in pages; throws RangeError when it cannot. */
  grow(pages: number): number;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

export const WASM_PAGE = 65536;
/** wasm32 addresses at most 4 GiB. */
export const WASM_MAX_PAGES = 65536;

/** The runtime's WebAssembly object, or undefined when there is none. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** A minimal module using v128 (i8x16.splat, i8x16.popcnt), the probe wasm-feature-detect uses. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Why the WebAssembly backend cannot run here, or undefined when WebAssembly SIMD and shared memory are available. */
export function wasmUnavailableReason(): string | undefined {
  const api = wasmApi();
  if (!api) return 'this JavaScript runtime has no WebAssembly';
  if (!api.validate(SIMD_PROBE)) return 'this JavaScript runtime lacks WebAssembly SIMD';
  if (typeof SharedArrayBuffer !== 'function') return 'this JavaScript runtime lacks SharedArrayBuffer (needed for shared WebAssembly memory)';
  return undefined;
}
