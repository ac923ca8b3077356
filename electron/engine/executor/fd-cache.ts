/** File descriptors kept open for a worker's tasks: inputs read-only, outputs read-write (never created here). */
import { closeSync, openSync } from 'node:fs';

export class FdCache {
  private readonly readers = new Map<string, number>();
  private readonly writers = new Map<string, number>();

  read(file: string): number {
    let fd = this.readers.get(file);
    if (fd === undefined) {
      fd = openSync(file, 'r');
      this.readers.set(file, fd);
    }
    return fd;
  }

  write(file: string): number {
    let fd = this.writers.get(file);
    if (fd === undefined) {
      fd = openSync(file, 'r+');
      this.writers.set(file, fd);
    }
    return fd;
  }

  closeAll(): void {
    for (const fd of [...this.readers.values(), ...this.writers.values()]) {
      try {
        closeSync(fd);
      } catch {
        // already closed: nothing to release
      }
    }
    this.readers.clear();
    this.writers.clear();
  }
}
