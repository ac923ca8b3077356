/** The Open Recent list, most recent first, kept in the user's config folder. */
import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.js';

const MAX_RECENT = 10;
const RecentFile = z.strictObject({ paths: z.array(z.string()) });

export class RecentProjects {
  readonly file: string;
  constructor(configDir: string) {
    this.file = join(configDir, 'recent.json');
  }

  async list(): Promise<string[]> {
    try {
      return RecentFile.parse(JSON.parse(await readFile(this.file, 'utf8'))).paths;
    } catch {
      return [];
    }
  }

  async add(path: string): Promise<string[]> {
    const paths = [path, ...(await this.list()).filter((p) => p !== path)].slice(0, MAX_RECENT);
    await mkdir(join(this.file, '..'), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify({ paths }, null, 2) + '\n');
    return paths;
  }
}
