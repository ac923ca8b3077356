/** Builds dist/native/matmul.wasm when missing or older than its source (tests run without `npm run build`). */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const MATMUL_WASM = join(root, 'dist', 'native', 'matmul.wasm');

export function ensureMatmulBuilt(): string {
  const sources = ['matmul.ts', 'build.mjs'].map((f) => join(root, 'native', f));
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  if (!existsSync(MATMUL_WASM) || statSync(MATMUL_WASM).mtimeMs < newest) {
    execFileSync(process.execPath, [join(root, 'native', 'build.mjs'), 'matmul'], { stdio: 'inherit' });
  }
  return MATMUL_WASM;
}
