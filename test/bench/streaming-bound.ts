/**
 * The machine's streaming bound for a merge: a plain read of the same input bytes (4 MiB chunks)
 * plus a write and fsync of the same number of output bytes. No merge can beat it.
 */
import { closeSync, fsyncSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

const CHUNK = 4 * 1024 * 1024;

export function readSeconds(files: string[], sizes: number[]): number {
  const buf = Buffer.allocUnsafe(CHUNK);
  const t0 = performance.now();
  files.forEach((f, i) => {
    const fd = openSync(f, 'r');
    try {
      for (let pos = 0; pos < sizes[i]; pos += CHUNK) readSync(fd, buf, 0, Math.min(CHUNK, sizes[i] - pos), pos);
    } finally {
      closeSync(fd);
    }
  });
  return (performance.now() - t0) / 1000;
}

export function writeSeconds(path: string, bytes: number): number {
  const buf = Buffer.alloc(CHUNK, 7);
  const t0 = performance.now();
  const fd = openSync(path, 'w');
  try {
    for (let pos = 0; pos < bytes; pos += CHUNK) writeSync(fd, buf, 0, Math.min(CHUNK, bytes - pos), pos);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const s = (performance.now() - t0) / 1000;
  rmSync(path, { force: true });
  return s;
}
