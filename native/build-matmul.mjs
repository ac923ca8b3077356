#!/usr/bin/env node
// Builds the probe's matrix-product kernel (native/matmul.ts, AssemblyScript) into
// dist/native/matmul.wasm, separately from the merge kernels. Run by `npm run build:native`.
// Shared imported memory (env.memory): every worker thread instantiates the module over the same
// memory, so the host writes operands once and the workers compute in place.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const MATMUL_WASM = join(root, 'dist', 'native', 'matmul.wasm');

/** Compiles the kernel; rejects with the compiler's diagnostics on failure. */
export async function buildMatmul(outFile = MATMUL_WASM) {
  mkdirSync(dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  const stderr = [];
  const { error } = await asc.main(
    [
      join(root, 'native', 'matmul.ts'),
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
    throw new Error(`building the matmul kernel failed: ${error.message}\n${stderr.join('')}`);
  }
  if (stderr.length > 0) process.stderr.write(stderr.join(''));
  renameSync(tmp, outFile);
  return outFile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildMatmul().then(
    (file) => console.log(`built ${file}`),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
