#!/usr/bin/env node
// Builds the WebAssembly SIMD kernels (native/*.ts, AssemblyScript) into dist/native/kernels.wasm.
// Run by `npm run build:native` (which then runs the other native/build-*.mjs scripts too). The module imports a shared memory (env.memory, at most 4 GiB) so
// growing it never detaches views the host handed out (see electron/engine/backend/wasm-backend.ts).
// The output is written to a temporary file and renamed, so concurrent builds never leave a torn file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const KERNELS_WASM = join(root, 'dist', 'native', 'kernels.wasm');

/** Compiles the kernels; rejects with the compiler's diagnostics on failure. */
export async function buildKernels(outFile = KERNELS_WASM) {
  mkdirSync(dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  const stderr = [];
  const { error } = await asc.main(
    [
      join(root, 'native', 'index.ts'),
      '--outFile', tmp,
      '-O3', '--noAssert',
      '--runtime', 'stub',
      '--enable', 'simd',
      '--enable', 'threads',
      '--importMemory', '--sharedMemory', '--noExportMemory',
      '--initialMemory', '1',
      '--maximumMemory', '65536',
    ],
    { stderr: { write: (s) => (stderr.push(String(s)), true) } },
  );
  if (error) {
    rmSync(tmp, { force: true });
    throw new Error(`building the WebAssembly kernels failed: ${error.message}\n${stderr.join('')}`);
  }
  if (stderr.length > 0) process.stderr.write(stderr.join(''));
  renameSync(tmp, outFile);
  return outFile;
}

/** Other kernels kept in native/ with their own build script (native/build-<name>.mjs), each runnable alone. */
function siblingBuilds() {
  const dir = join(root, 'native');
  return readdirSync(dir)
    .filter((f) => /^build-.+\.mjs$/.test(f))
    .map((f) => join(dir, f));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `npm run build:native` builds these kernels, then every sibling build script (not with --kernels-only).
  buildKernels().then(
    (file) => {
      console.log(`built ${file}`);
      if (process.argv.includes('--kernels-only')) return;
      for (const script of siblingBuilds()) execFileSync(process.execPath, [script], { stdio: 'inherit' });
    },
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
