/**
 * The output folder's life cycle: everything is written under a temporary name in the
 * destination's parent and renamed when complete, so a failed or cancelled run leaves nothing under
 * the final name. With --force an existing output is replaced only once the new one is complete.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../io/types.js';
import { pauseForTest } from './test-hooks.js';
import { describeWriteFailure } from './write-failure.js';

export const TEMP_PREFIX = '.crucible-tmp-';

export interface StagedOutput {
  /** Final destination. */
  out: string;
  /** Where files are written until the run completes. */
  temp: string;
}

/** Refuses an existing output unless force, and an output that equals or contains an input. */
export async function checkDestination(out: string, inputs: string[], force: boolean): Promise<void> {
  const dest = resolve(out);
  const realDest = await realPathOf(dest);
  for (const input of inputs) {
    const abs = resolve(input);
    const realInput = await realPathOf(abs);
    // Lexically, and through symbolic links: --force onto an alias of an input would delete it.
    if (isSameOrInside(abs, dest) || isSameOrInside(realInput, realDest)) {
      throw new InputError(`the output ${dest} would overwrite the input ${abs}; choose another output folder`, dest);
    }
  }
  if (existsSync(dest) && !force) {
    throw new InputError(`the output ${dest} already exists: choose another folder, or replace it (--force; in the app, “Replace the folder if it exists” on the Output node)`, dest);
  }
  // The output's parent folders are created as needed (the output itself is only ever renamed in).
  const parent = dirname(dest);
  try {
    await mkdir(parent, { recursive: true });
  } catch (err) {
    throw new InputError(`cannot create the output's parent folder ${parent}: ${(err as Error).message}`, parent);
  }
  const s = await stat(parent);
  if (!s.isDirectory()) throw new InputError(`the output's parent ${parent} is not a folder`, parent);
}

/** What a run reads of a model: the path given, its weight files, and the files beside them (config.json, tokenizer files...). */
export interface ReadModel {
  path: string;
  folder: string;
  files: readonly { path: string }[];
}

/**
 * Every path an output must not be, nor contain: each model's path and weight files, and the plain
 * files in its folder (config.json and the tokenizer's are read and copied, and a single-file
 * model's folder may hold other models), plus `others` (the recipe or project file). Folders beside
 * a model are not listed: they are not read, and one may be an earlier output being replaced.
 */
export async function readPaths(models: readonly ReadModel[], others: readonly string[] = []): Promise<string[]> {
  const paths = new Set<string>(others);
  for (const m of models) {
    paths.add(m.path);
    for (const f of m.files) paths.add(f.path);
  }
  for (const folder of new Set(models.map((m) => m.folder))) {
    try {
      for (const e of await readdir(folder, { withFileTypes: true })) if (!e.isDirectory()) paths.add(join(folder, e.name));
    } catch {
      // An unreadable folder: its weight files were read above, or the run failed before this.
    }
  }
  return [...paths];
}

function isSameOrInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder + '/') || path.startsWith(folder + '\\');
}

/** The path with symbolic links resolved (of its parent, when it does not exist yet). */
async function realPathOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    try {
      return join(await realpath(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

export async function stageOutput(out: string): Promise<StagedOutput> {
  const dest = resolve(out);
  const temp = join(dirname(dest), `${TEMP_PREFIX}${basename(dest)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(temp).catch((err: unknown) => {
    throw describeWriteFailure(err, dest, temp);
  });
  return { out: dest, temp };
}

/** Flushes a file's data to disk. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function fsyncDir(path: string): Promise<void> {
  try {
    const h = await open(path, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

/**
 * Makes the staged folder the output: fsyncs every file, then renames (swapping with an old output
 * under force). Without force, something that appeared under the output's name while the run was
 * writing (another run, the user) is refused, never replaced.
 */
export async function commitOutput(staged: StagedOutput, force: boolean): Promise<void> {
  for (const name of await readdir(staged.temp)) fsyncFile(join(staged.temp, name));
  await fsyncDir(staged.temp);
  await pauseForTest('before-rename');
  if (existsSync(staged.out)) {
    if (!force) throw new InputError(`the output ${staged.out} appeared while the merge was running (another run, or made by hand); it was left as it is: choose another output folder, or replace it`, staged.out);
    const old = `${staged.temp}-old`;
    await rename(staged.out, old);
    await pauseForTest('mid-swap');
    try {
      await rename(staged.temp, staged.out);
    } catch (err) {
      await rename(old, staged.out);
      throw err;
    }
    await rm(old, { recursive: true, force: true });
  } else {
    await rename(staged.temp, staged.out);
  }
  await fsyncDir(dirname(staged.out));
}

export async function discardOutput(staged: StagedOutput): Promise<void> {
  await rm(staged.temp, { recursive: true, force: true });
}

/**
 * Leftovers of runs that were killed (their process is gone), cleaned by the next run in the same
 * folder: a staged folder is removed; an old output that a killed --force run had moved aside
 * (`…-old`) is put back under its name when nothing took its place, else removed.
 */
export async function removeStaleTemps(parent: string): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    // Names end in -<pid>-<random>[-old]; a folder whose process still runs (or is this one) is kept,
    // and so is anything not named by Crucible's pattern.
    const pid = Number(/-(\d+)-[A-Za-z0-9]{6,8}(-old)?$/.exec(name)?.[1]);
    if (!Number.isFinite(pid) || pid === process.pid || isAlive(pid)) continue;
    const original = /^\.crucible-tmp-(.+)-\d+-[0-9a-f]{8}-old$/.exec(name)?.[1];
    if (original !== undefined && !existsSync(join(parent, original))) {
      await rename(join(parent, name), join(parent, original));
      continue;
    }
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(join(parent, name));
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
