/** Where the built renderer and the assets are, from the location of the built code (dist/electron/<dir>/). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function projectRoot(moduleUrl: string): string {
  // dist/electron/<web|shell>/file.js → the package root, three levels up.
  return resolve(dirname(fileURLToPath(moduleUrl)), '..', '..', '..');
}

export function rendererDir(root: string): string {
  return join(root, 'dist', 'renderer');
}

export function assetsDir(root: string): string {
  return join(root, 'assets');
}
