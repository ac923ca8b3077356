/** Model references → local paths: folders, Windows paths, the Hugging Face cache; never a download. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../electron/engine/io/types.js';
import { findInHfCache, hfHubCacheDir } from '../../../electron/engine/recipe/hf-cache.js';
import { resolveModelRef } from '../../../electron/engine/recipe/model-ref.js';

const root = mkdtempSync(join(tmpdir(), 'crucible-modelref-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const recipeDir = join(root, 'recipes');
const modelsRoot = join(root, 'models');
const cache = join(root, 'hf', 'hub');
const env = { HF_HUB_CACHE: cache };
mkdirSync(join(recipeDir, 'local model'), { recursive: true });
mkdirSync(join(recipeDir, 'org', 'in-both'), { recursive: true });
mkdirSync(join(modelsRoot, 'org', 'in-both'), { recursive: true });

const MAIN = 'a'.repeat(40);
const V2 = 'b'.repeat(40);
function cacheRepo(id: string): string {
  const repo = join(cache, `models--${id.replace('/', '--')}`);
  mkdirSync(join(repo, 'snapshots', MAIN), { recursive: true });
  mkdirSync(join(repo, 'snapshots', V2), { recursive: true });
  mkdirSync(join(repo, 'refs'), { recursive: true });
  writeFileSync(join(repo, 'refs', 'main'), `${MAIN}\n`);
  writeFileSync(join(repo, 'refs', 'v2'), V2);
  return repo;
}
const repo = cacheRepo('org/cached');

describe('paths', () => {
  it('absolute paths are kept as written, existing or not', () => {
    expect(resolveModelRef('/nowhere/model', { recipeDir, env })).toBe('/nowhere/model');
    expect(resolveModelRef('//home/alpha/x', { recipeDir, env })).toBe('//home/alpha/x');
  });

  it('Windows paths survive, with backslashes, forward slashes and spaces', () => {
    expect(resolveModelRef('F:\\mergekit\\Gryphe_Pantheon', { recipeDir, env })).toBe('F:\\mergekit\\Gryphe_Pantheon');
    const spaced = 'D:/Uni/Masterarbeit Code/finetuned_models/x';
    expect(resolveModelRef(spaced, { recipeDir, env })).toBe(spaced);
  });

  it("relative paths resolve against the recipe's folder; spaces survive", () => {
    expect(resolveModelRef('./local model', { recipeDir, env })).toBe(join(recipeDir, 'local model'));
    expect(resolveModelRef('local model', { recipeDir, env })).toBe(join(recipeDir, 'local model'));
  });

  it('modelsRoot, when given, is used instead of the recipe folder', () => {
    expect(resolveModelRef('org/in-both', { recipeDir, modelsRoot, env })).toBe(join(modelsRoot, 'org', 'in-both'));
    expect(resolveModelRef('org/in-both', { recipeDir, env })).toBe(join(recipeDir, 'org', 'in-both'));
  });

  it('a missing relative path is an InputError naming it', () => {
    expect(() => resolveModelRef('./not-here', { recipeDir, env })).toThrow(InputError);
    expect(() => resolveModelRef('./not-here', { recipeDir, env })).toThrow(/not available locally/);
  });
});

describe('the Hugging Face cache', () => {
  it('a hub id without a local folder is the snapshot refs/main points to', () => {
    expect(resolveModelRef('org/cached', { recipeDir, env })).toBe(join(repo, 'snapshots', MAIN));
  });

  it('@revision: a commit hash or a branch name under refs/', () => {
    expect(resolveModelRef(`org/cached@${V2}`, { recipeDir, env })).toBe(join(repo, 'snapshots', V2));
    expect(resolveModelRef('org/cached@v2', { recipeDir, env })).toBe(join(repo, 'snapshots', V2));
    expect(findInHfCache('org/cached@v3', { env })).toBeUndefined();
  });

  it('not cached: an InputError saying it is not available locally, naming the cache', () => {
    let err: unknown;
    try {
      resolveModelRef('org/absent', { recipeDir, env });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/'org\/absent' is not available locally/);
    expect((err as Error).message).toContain(cache);
    expect((err as Error).message).toMatch(/never downloads/);
  });

  it('cache location: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub', () => {
    expect(hfHubCacheDir({ env: { HF_HUB_CACHE: '/c', HF_HOME: '/h' } })).toBe('/c');
    expect(hfHubCacheDir({ env: { HF_HOME: '/h' } })).toBe(join('/h', 'hub'));
    expect(hfHubCacheDir({ env: {}, homeDir: '/home/u' })).toBe(join('/home/u', '.cache', 'huggingface', 'hub'));
  });

  it('HF_HOME is honoured for lookups', () => {
    const home = join(root, 'hfhome');
    mkdirSync(join(home, 'hub', 'models--x--y', 'snapshots', MAIN), { recursive: true });
    mkdirSync(join(home, 'hub', 'models--x--y', 'refs'), { recursive: true });
    writeFileSync(join(home, 'hub', 'models--x--y', 'refs', 'main'), MAIN);
    expect(resolveModelRef('x/y', { recipeDir, env: { HF_HOME: home } })).toBe(join(home, 'hub', 'models--x--y', 'snapshots', MAIN));
  });
});
