/**
 * A recipe's model reference → an absolute path on this machine. Absolute paths (POSIX or Windows)
 * are kept as written; relative ones resolve against modelsRoot when given, else the recipe's
 * folder; a reference with no such folder that looks like a hub id is looked up in the local
 * Hugging Face cache. Nothing is ever downloaded.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, win32 } from 'node:path';
import { InputError } from '../io/types.js';
import { findInHfCache, hfHubCacheDir, type HfCacheOptions } from './hf-cache.js';

export interface ModelRefOptions extends HfCacheOptions {
  /** Folder relative references resolve against, before the recipe's folder. */
  modelsRoot?: string;
  /** The recipe file's folder. */
  recipeDir: string;
}

/** `org/name`, `name`, optionally `@revision`: the shapes of a Hugging Face id. */
const HUB_ID = /^[A-Za-z0-9][\w.-]*(?:\/[\w.-]+)?(?:@[\w./-]+)?$/;

export function resolveModelRef(ref: string, opts: ModelRefOptions): string {
  if (isAbsolute(ref) || isWindowsAbsolute(ref)) return ref;
  if (ref === '~' || ref.startsWith('~/')) return join(opts.homeDir ?? homedir(), ref.slice(1));
  const local = resolve(opts.modelsRoot ?? opts.recipeDir, ref);
  if (existsSync(local)) return local;
  if (HUB_ID.test(ref)) {
    const cached = findInHfCache(ref, opts);
    if (cached) return cached;
    throw new InputError(
      `model '${ref}' is not available locally: no folder ${local}, and not in the Hugging Face cache (${hfHubCacheDir(opts)}). ` +
        'Crucible never downloads models: fetch it first (e.g. `huggingface-cli download ' +
        ref.split('@')[0] +
        '`) or give a local path.',
      ref,
    );
  }
  throw new InputError(`model '${ref}' is not available locally: ${local} does not exist`, local);
}

function isWindowsAbsolute(ref: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(ref) || (ref.startsWith('\\\\') && win32.isAbsolute(ref));
}
