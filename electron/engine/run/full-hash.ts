/** sha256 of a file's whole content (streamed): the optional full-content hash of an input. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024, signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Full-content sha256 of every weight file of the given checkpoints, by absolute path. */
export async function sha256Files(paths: Iterable<string>, signal?: AbortSignal): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of paths) if (!out.has(p)) out.set(p, await sha256File(p, signal));
  return out;
}
