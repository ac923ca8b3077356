/**
 * Read-only file descriptors, opened once per path and kept (per thread: each worker has its own
 * cache) until closed. Positioned reads need no shared cursor, so one descriptor serves every
 * reader of a file.
 */
import { closeSync, openSync } from 'node:fs';
import { InputError } from './types.js';

const fds = new Map<string, number>();

/** The cached read-only descriptor of `file`, opening it on first use. */
export function readFd(file: string): number {
  const cached = fds.get(file);
  if (cached !== undefined) return cached;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new InputError(`${file}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file);
  }
  fds.set(file, fd);
  return fd;
}

/** Closes the descriptor of `file`, or every cached descriptor when no file is given. */
export function closeReadFds(file?: string): void {
  const paths = file === undefined ? [...fds.keys()] : [file];
  for (const p of paths) {
    const fd = fds.get(p);
    if (fd === undefined) continue;
    fds.delete(p);
    closeSync(fd);
  }
}

/** How many descriptors are open (for tests and diagnostics). */
export function openReadFdCount(): number {
  return fds.size;
}
