/**
 * A recipe's Fisher file reference (ModelSpec.fisher) → an absolute path: absolute paths kept,
 * `~` expanded, relative ones against the recipe's folder, else modelsRoot. Never a hub id.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, win32 } from 'node:path';
import { InputError } from '../io/types.js';

export function resolveFisherRef(ref: string, opts: { recipeDir: string; modelsRoot?: string; homeDir?: string }): string {
  if (isAbsolute(ref) || win32.isAbsolute(ref)) return ref;
  if (ref === '~' || ref.startsWith('~/')) return join(opts.homeDir ?? homedir(), ref.slice(1));
  const local = resolve(opts.recipeDir, ref);
  if (existsSync(local) || opts.modelsRoot === undefined) return local;
  const underRoot = resolve(opts.modelsRoot, ref);
  if (existsSync(underRoot)) return underRoot;
  throw new InputError(`Fisher file '${ref}' does not exist: neither ${local} nor ${underRoot}`, local);
}
