/**
 * A failed write to the output, said in the user's terms: which output, what went wrong (disk
 * full, file-size limit, read-only or vanished folder…), which file was being written — instead
 * of a bare `EFBIG: file too large, ftruncate` naming a temporary file that no longer exists.
 */
import { basename, dirname, sep } from 'node:path';
import { InputError } from '../io/types.js';

const REASONS: Readonly<Record<string, string>> = {
  EFBIG: 'a file would exceed the file-size limit of this process or file system (ulimit -f, or FAT32’s 4 GB)',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted (read-only or immutable folder?)',
  ENOENT: 'its folder disappeared during the run (deleted, renamed or unmounted?)',
  ENOTDIR: 'its folder disappeared during the run (replaced by a file?)',
  EIO: 'an input/output error from the device',
};

/** The system error code of `err`, from its `code` or the start of its message (workers send messages). */
function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.message === 'string' ? /^(E[A-Z]+):/.exec(e.message)?.[1] : undefined;
}

function pathsOf(err: unknown): string[] {
  const e = err as { path?: unknown; dest?: unknown; file?: unknown } | undefined;
  return [e?.path, e?.dest, e?.file].filter((p): p is string => typeof p === 'string');
}

/**
 * `err` re-described as an InputError naming `out` when it is a write failure in the staged folder
 * `temp` (or its parent); any other error is returned unchanged.
 */
export function describeWriteFailure(err: unknown, out: string, temp: string): unknown {
  const code = codeOf(err);
  if (code === undefined || !(code in REASONS)) return err;
  const paths = pathsOf(err);
  const parent = dirname(out);
  const concernsOutput = paths.length === 0 || paths.some((p) => p === temp || p.startsWith(temp) || p === out || p.startsWith(out + sep) || p === parent);
  if (!concernsOutput) return err;
  const inTemp = paths.find((p) => p.startsWith(temp + sep));
  const writing = inTemp ? ` (while writing ${basename(inTemp)})` : '';
  return new InputError(`cannot write the output ${out}: ${REASONS[code]} [${code}]${writing}; nothing was left under that name`, out);
}
