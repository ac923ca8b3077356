/**
 * Temporary folders for tests.
 *
 *   const dir = await makeTempDir('my-test');   // fresh folder under the OS temp dir
 *   afterAll(removeTempDirs);                    // removes every folder made so far
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

export async function makeTempDir(prefix = 'crucible-test'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  const dirs = made.splice(0);
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}
