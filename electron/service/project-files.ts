/** Reading and writing `.crucible.json` project files: validated and migrated on load, written atomically. */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadProject } from '../../common/graph/load-project.js';
import type { Project } from '../../common/graph/project-schema.js';
import { readUtf8File } from '../engine/io/hf-config.js';
import { parseStrictJson } from '../engine/io/strict-json.js';
import { writeFileAtomic } from './atomic-write.js';
import { fail } from './service-error.js';

export const PROJECT_EXTENSION = '.crucible.json';

export function serializeProject(project: Project): string {
  return JSON.stringify(project, null, 2) + '\n';
}

export async function readProjectFile(path: string): Promise<{ project: Project; migratedFrom: number | null }> {
  let text: string;
  try {
    text = await readUtf8File(path); // strict UTF-8, size-limited
  } catch (e) {
    return fail('input', `${path}: cannot read the project file (${(e as Error).message.replace(`${path}: `, '')})`, { file: path });
  }
  return parseProjectText(text, path);
}

/** A project file's text → the current project; a ServiceFailure (kind input) naming `path` otherwise. */
export function parseProjectText(text: string, path: string): { project: Project; migratedFrom: number | null } {
  let json: unknown;
  try {
    json = parseStrictJson(text); // duplicate keys and absurd nesting refused
  } catch (e) {
    return fail('input', `${path}: not valid JSON (${(e as Error).message})`, { file: path });
  }
  const loaded = loadProject(json, path);
  if (!loaded.ok) return fail('input', loaded.reason, { file: path });
  return { project: loaded.project, migratedFrom: loaded.migratedFrom };
}

export async function writeProjectFile(path: string, project: Project): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, serializeProject(project));
}
