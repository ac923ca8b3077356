/** Builds dist/native/kernels.wasm when it is missing or older than its sources (tests run without `npm run build`). */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const KERNELS_WASM = join(root, 'dist', 'native', 'kernels.wasm');

/** native/index.ts, the files it re-exports, and the build script (other kernels in native/ are not ours). */
function sources(): string[] {
  const dir = join(root, 'native');
  const index = readFileSync(join(dir, 'index.ts'), 'utf8');
  const imported = [...index.matchAll(/from '\.\/([\w-]+)'/g)].map((m) => `${m[1]}.ts`);
  return ['index.ts', 'build.mjs', ...imported].map((f) => join(dir, f));
}

export function ensureKernelsBuilt(): void {
  const newest = Math.max(...sources().map((f) => statSync(f).mtimeMs));
  if (existsSync(KERNELS_WASM) && statSync(KERNELS_WASM).mtimeMs >= newest) return;
  execFileSync(process.execPath, [join(root, 'native', 'build.mjs'), 'kernels'], { stdio: 'inherit' });
}
