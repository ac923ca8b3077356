/**
 * Paths of built files (worker entries, the .wasm) that must exist as JavaScript on disk: Node 20
 * workers cannot load TypeScript, so when this module runs from its .ts source (under vitest) it
 * points at the build in dist/, and from dist/ at its own siblings.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fromSource = !fileURLToPath(import.meta.url).endsWith('.js');
/** The project root: this file is electron/engine/built-file.ts, or dist/electron/engine/built-file.js. */
export const projectRoot = fromSource ? resolve(here, '..', '..') : resolve(here, '..', '..', '..');

/** A path relative to dist/ (e.g. 'electron/engine/executor/worker.js'). */
export function builtFile(relative: string): string {
  // Inside a packaged app, worker and native files are unpacked beside the asar archive.
  const path = join(projectRoot, 'dist', relative).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  return path;
}
