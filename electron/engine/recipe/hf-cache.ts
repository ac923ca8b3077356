/**
 * Finds a hub model in the local Hugging Face cache (never downloads): HF_HUB_CACHE, else
 * HF_HOME/hub, else ~/.cache/huggingface/hub; `models--org--name/snapshots/<revision>`, the
 * revision being the one asked for (a commit hash or a branch/tag under refs/) or refs/main.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface HfCacheOptions {
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

export function hfHubCacheDir(opts: HfCacheOptions = {}): string {
  const env = opts.env ?? process.env;
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HUGGINGFACE_HUB_CACHE) return env.HUGGINGFACE_HUB_CACHE;
  if (env.HF_HOME) return join(env.HF_HOME, 'hub');
  return join(opts.homeDir ?? homedir(), '.cache', 'huggingface', 'hub');
}

/** `org/name[@revision]` (or a bare `name`) → the snapshot folder, or undefined when not cached. */
export function findInHfCache(repoId: string, opts: HfCacheOptions = {}): string | undefined {
  const at = repoId.indexOf('@');
  const id = at < 0 ? repoId : repoId.slice(0, at);
  const revision = at < 0 ? 'main' : repoId.slice(at + 1);
  const repoDir = join(hfHubCacheDir(opts), `models--${id.split('/').join('--')}`);
  const direct = join(repoDir, 'snapshots', revision);
  if (/^[0-9a-f]{40}$/.test(revision) && existsSync(direct)) return direct;
  const ref = join(repoDir, 'refs', revision);
  if (existsSync(ref)) {
    const commit = readFileSync(ref, 'utf8').trim();
    const snapshot = join(repoDir, 'snapshots', commit);
    if (commit && existsSync(snapshot)) return snapshot;
  }
  return existsSync(direct) ? direct : undefined;
}
