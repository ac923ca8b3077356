/** Free bytes where a folder would be created: statfs of its nearest existing ancestor. */
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function freeDiskFor(path: string): Promise<number> {
  let p = path;
  for (;;) {
    try {
      const s = await statfs(p);
      return s.bavail * s.bsize;
    } catch {
      const up = dirname(p);
      if (up === p) return 0;
      p = up;
    }
  }
}
