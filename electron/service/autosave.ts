/**
 * Autosave in the user's config folder. The file exists only while there is unsaved work: a clean
 * save or close clears it, so one found at start-up is what a crash left behind, offered for restore.
 */
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { loadProject } from '../../common/graph/load-project.js';
import type { Project } from '../../common/graph/project-schema.js';
import { writeFileAtomic } from './atomic-write.js';

const Envelope = z.strictObject({ savedAt: z.string(), path: z.string().nullable(), project: z.unknown() });

export interface AutosaveEntry {
  project: Project;
  path: string | null;
  savedAt: string;
}

export class Autosave {
  readonly file: string;
  constructor(configDir: string) {
    this.file = join(configDir, 'autosave.crucible.json');
  }

  async write(project: Project, path: string | null, now = new Date()): Promise<void> {
    await mkdir(join(this.file, '..'), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify({ savedAt: now.toISOString(), path, project }) + '\n');
  }

  /**
   * The autosaved work, or null when there is none or it cannot be read back (then it is set
   * aside as `autosave.crucible.json.unreadable`, not deleted). Temporary files of writes that a
   * crash interrupted are removed.
   */
  async read(): Promise<AutosaveEntry | null> {
    await this.removeInterruptedWrites();
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return null;
    }
    try {
      const env = Envelope.parse(JSON.parse(text));
      const loaded = loadProject(env.project, this.file);
      if (!loaded.ok) throw new Error(loaded.reason);
      return { project: loaded.project, path: env.path, savedAt: env.savedAt };
    } catch {
      await rename(this.file, `${this.file}.unreadable`).catch(() => undefined);
      return null;
    }
  }

  /** writeFileAtomic's `<file>.<hex>.tmp` files left by a process killed mid-write. */
  private async removeInterruptedWrites(): Promise<void> {
    const name = basename(this.file);
    const names = await readdir(dirname(this.file)).catch(() => [] as string[]);
    for (const n of names) {
      if (n.startsWith(`${name}.`) && n.endsWith('.tmp')) await rm(join(dirname(this.file), n), { force: true });
    }
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
