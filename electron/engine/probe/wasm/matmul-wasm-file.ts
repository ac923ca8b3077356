/** Where the built matmul kernel is: dist/native/matmul.wasm, seen from the sources or the build. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function matmulWasmCandidates(): string[] {
  return [
    fileURLToPath(new URL('../../../../native/matmul.wasm', import.meta.url)),
    fileURLToPath(new URL('../../../../dist/native/matmul.wasm', import.meta.url)),
  ];
}

export function findMatmulWasm(): string | undefined {
  return matmulWasmCandidates().find((p) => existsSync(p));
}
