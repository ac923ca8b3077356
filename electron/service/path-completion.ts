/** Completion for the path fields of the web UI: the entries of the typed folder that start with the typed name. */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { resolveUserPath } from './resolve-path.js';

export interface PathEntry {
  path: string;
  name: string;
  kind: 'dir' | 'file';
}

const INTERESTING = /\.(safetensors|json|ya?ml)$/i;
const MAX_ENTRIES = 50;

export async function completePath(partial: string, baseDir?: string): Promise<PathEntry[]> {
  const typed = partial.trim() === '' ? '~/' : partial;
  const full = resolveUserPath(typed, baseDir);
  const endsWithSep = /[\\/]$/.test(typed);
  const folder = endsWithSep ? full : dirname(full);
  const prefix = endsWithSep ? '' : basename(full);
  let dirents;
  try {
    dirents = await readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const showHidden = prefix.startsWith('.');
  return dirents
    .filter((d) => d.name.startsWith(prefix) && (showHidden || !d.name.startsWith('.')))
    .filter((d) => d.isDirectory() || (d.isFile() && INTERESTING.test(d.name)))
    .map((d): PathEntry => ({ name: d.name, kind: d.isDirectory() ? 'dir' : 'file', path: join(folder, d.name) + (d.isDirectory() ? sep : '') }))
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1))
    .slice(0, MAX_ENTRIES);
}
