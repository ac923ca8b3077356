/** User-typed paths: `~` expands to the home folder, relative paths resolve against a base folder. */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export function resolveUserPath(p: string, baseDir?: string): string {
  const trimmed = p.trim();
  if (trimmed === '~') return homedir();
  if (trimmed.startsWith('~/') || trimmed.startsWith('~\\')) return join(homedir(), trimmed.slice(2));
  if (isAbsolute(trimmed)) return resolve(trimmed);
  return resolve(baseDir ?? homedir(), trimmed);
}
