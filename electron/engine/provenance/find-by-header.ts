/**
 * An index of the .safetensors files under some folders (a bounded depth) by header sha256: where
 * an input that moved can be found again. Unreadable files and Crucible's temporary folders are skipped.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readSafetensorsHeader } from '../io/read-safetensors-header.js';
import { TEMP_PREFIX } from '../run/output-folder.js';

export const SEARCH_DEPTH = 3;

/** headerSha256 → absolute file paths. */
export type HeaderIndex = Map<string, string[]>;

async function walk(folder: string, depth: number, seen: Set<string>, found: string[]): Promise<void> {
  if (seen.has(folder)) return;
  seen.add(folder);
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith(TEMP_PREFIX)) continue;
    const path = join(folder, e.name);
    if (e.isFile() && e.name.endsWith('.safetensors')) found.push(path);
    else if (e.isDirectory() && depth > 0) await walk(path, depth - 1, seen, found);
  }
}

export async function indexHeaders(roots: readonly string[], depth = SEARCH_DEPTH): Promise<HeaderIndex> {
  const files: string[] = [];
  const seen = new Set<string>();
  for (const r of roots) await walk(resolve(r), depth, seen, files);
  const index: HeaderIndex = new Map();
  for (const f of files) {
    try {
      const { info } = await readSafetensorsHeader(f);
      const list = index.get(info.headerSha256);
      if (list) list.push(f);
      else index.set(info.headerSha256, [f]);
    } catch {
      // Not a readable safetensors file: not a candidate.
    }
  }
  return index;
}
