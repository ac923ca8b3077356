/** Parse a project file's JSON: detect its version, validate it, migrate it to the current one. */
import type { z } from 'zod';
import { PROJECT_VERSION, ProjectSchema, type Project } from './project-schema.js';
import { ProjectV1Schema } from './project-v1-schema.js';
import { migrateV1toV2 } from './migrations.js';

export type LoadResult = { ok: true; project: Project; migratedFrom: number | null } | { ok: false; reason: string };

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
    .join('; ');
}

/** `where` names the file in messages. */
export function loadProject(json: unknown, where: string): LoadResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: `${where}: not a Crucible project (expected a JSON object)` };
  }
  const version = (json as { version?: unknown }).version;
  if (typeof version !== 'number') return { ok: false, reason: `${where}: not a Crucible project (no version number)` };
  if (version > PROJECT_VERSION) {
    return { ok: false, reason: `${where}: project version ${version} was written by a newer Crucible (this one reads up to ${PROJECT_VERSION})` };
  }
  if (version === 1) {
    const v1 = ProjectV1Schema.safeParse(json);
    if (!v1.success) return { ok: false, reason: `${where}: invalid version 1 project: ${describe(v1.error)}` };
    const migrated = ProjectSchema.safeParse(migrateV1toV2(v1.data));
    if (!migrated.success) return { ok: false, reason: `${where}: could not migrate from version 1: ${describe(migrated.error)}` };
    return { ok: true, project: migrated.data, migratedFrom: 1 };
  }
  if (version !== PROJECT_VERSION) return { ok: false, reason: `${where}: unknown project version ${version}` };
  const parsed = ProjectSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `${where}: invalid project: ${describe(parsed.error)}` };
  return { ok: true, project: parsed.data, migratedFrom: null };
}
