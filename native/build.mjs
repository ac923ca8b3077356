#!/usr/bin/env node
// Builds the WebAssembly modules of native/ (AssemblyScript) into dist/native/: the merge kernels
// (index.ts → kernels.wasm) and the probe's matrix-product kernel (matmul.ts → matmul.wasm).
// `npm run build:native` builds them all; `node native/build.mjs NAME...` builds the named ones
// (kernels, matmul). Each module imports a shared memory (env.memory, at most 4 GiB) so growing it
// never detaches views the host handed out (see electron/engine/backend/wasm-backend.ts), and the
// probe's workers can all compute in one memory. Each output is written to a temporary file and
// renamed, so concurrent builds never leave a torn file.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every module built from native/: its name on the command line, entry source, output file, what it is. */
export const ENTRIES = [
  { name: 'kernels', source: 'index.ts', out: 'kernels.wasm', what: 'the WebAssembly kernels' },
  { name: 'matmul', source: 'matmul.ts', out: 'matmul.wasm', what: 'the matmul kernel' },
];

/** Compiles one entry; rejects with the compiler's diagnostics on failure. */
export async function buildEntry(entry, outFile = join(root, 'dist', 'native', entry.out)) {
  mkdirSync(dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  const stderr = [];
  const { error } = await asc.main(
    [
      join(root, 'native', entry.source),
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
    throw new Error(`building ${entry.what} failed: ${error.message}\n${stderr.join('')}`);
  }
  if (stderr.length > 0) process.stderr.write(stderr.join(''));
  renameSync(tmp, outFile);
  return outFile;
}

const entryNamed = (name) => {
  const entry = ENTRIES.find((e) => e.name === name);
  if (!entry) throw new Error(`no native module '${name}' (known: ${ENTRIES.map((e) => e.name).join(', ')})`);
  return entry;
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `--kernels-only` (older form) = `kernels`.
  const names = process.argv.slice(2).map((a) => (a === '--kernels-only' ? 'kernels' : a));
  (async () => {
    const entries = names.length > 0 ? names.map(entryNamed) : ENTRIES;
    for (const entry of entries) console.log(`built ${await buildEntry(entry)}`);
  })().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
