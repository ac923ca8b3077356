/** Events the service pushes to every connected renderer. */
import { z } from 'zod';
import { ServiceErrorSchema } from './errors.js';
import { PreflightSchema, RunEventSchema, RunResultSchema } from './run.js';

const job = { jobId: z.string() };
export const ServiceEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('job.started'), ...job, preflight: PreflightSchema, mergeNodeId: z.string().optional() }),
  z.strictObject({ kind: z.literal('job.event'), ...job, event: RunEventSchema }),
  z.strictObject({ kind: z.literal('job.finished'), ...job, result: RunResultSchema }),
  z.strictObject({ kind: z.literal('job.failed'), ...job, error: ServiceErrorSchema }),
  z.strictObject({ kind: z.literal('job.cancelled'), ...job }),
]);
export type ServiceEvent = z.infer<typeof ServiceEventSchema>;
