/**
 * Version 1 of the project file: the first format, written by the prototype editor. Kept only so
 * old files still open (migrations.ts turns it into the current version). Differences from v2:
 * `type` instead of `data.kind`, flat x/y, `from`/`to` edges carrying the per-model parameters, and
 * an output without shard size, seed or overwrite.
 */
import { z } from 'zod';
import { MethodIdSchema, ParamSpecMapSchema } from '../contract/recipe.js';

const nodeBase = { id: z.string().min(1), x: z.number(), y: z.number() };
export const ProjectV1Schema = z.strictObject({
  version: z.literal(1),
  name: z.string().optional(),
  nodes: z.array(
    z.discriminatedUnion('type', [
      z.strictObject({ ...nodeBase, type: z.literal('model'), path: z.string() }),
      z.strictObject({ ...nodeBase, type: z.literal('taskVector') }),
      z.strictObject({ ...nodeBase, type: z.literal('scale'), alpha: z.number() }),
      z.strictObject({ ...nodeBase, type: z.literal('add') }),
      z.strictObject({ ...nodeBase, type: z.literal('merge'), method: MethodIdSchema, params: ParamSpecMapSchema }),
      z.strictObject({ ...nodeBase, type: z.literal('output'), path: z.string(), dtype: z.string().optional() }),
    ]),
  ),
  edges: z.array(
    z.strictObject({
      from: z.string(),
      to: z.string(),
      fromPort: z.string(),
      toPort: z.string(),
      params: ParamSpecMapSchema.optional(),
    }),
  ),
});
export type ProjectV1 = z.infer<typeof ProjectV1Schema>;
