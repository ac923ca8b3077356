/**
 * Write a file so that a crash leaves either the old or the new content, never half of it.
 * Hand-written (temp file, fsync, rename: a dozen lines) rather than a dependency.
 */
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const h = await open(temp, 'w');
  try {
    await h.writeFile(content, 'utf8');
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
