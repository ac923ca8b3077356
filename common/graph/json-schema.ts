/** The project file's JSON Schema, generated from the zod validator (written to docs/project-schema.json). */
import { z } from 'zod';
import { ProjectSchema } from './project-schema.js';

export function projectJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ProjectSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'Crucible project (.crucible.json)',
  };
}
