/** Events the service pushes to every connected renderer. */
import { z } from 'zod';
import { ServiceErrorSchema } from './errors.js';
import { PreflightSchema, RunEventSchema, RunResultSchema } from './run.js';
import { TaskEventSchema, TaskResultSchema } from './tasks.js';

const job = { jobId: z.string() };
const task = { taskId: z.string() };
export const ServiceEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('job.started'), ...job, preflight: PreflightSchema, mergeNodeId: z.string().optional() }),
  z.strictObject({ kind: z.literal('job.event'), ...job, event: RunEventSchema }),
  z.strictObject({ kind: z.literal('job.finished'), ...job, result: RunResultSchema }),
  z.strictObject({ kind: z.literal('job.failed'), ...job, error: ServiceErrorSchema }),
  z.strictObject({ kind: z.literal('job.cancelled'), ...job }),
  // Tasks (tasks.ts): probes and the stages of issue 6's nodes.
  z.strictObject({ kind: z.literal('task.started'), ...task }),
  z.strictObject({ kind: z.literal('task.event'), ...task, event: TaskEventSchema }),
  z.strictObject({ kind: z.literal('task.finished'), ...task, result: TaskResultSchema }),
  z.strictObject({ kind: z.literal('task.failed'), ...task, error: ServiceErrorSchema }),
  z.strictObject({ kind: z.literal('task.cancelled'), ...task }),
]);
export type ServiceEvent = z.infer<typeof ServiceEventSchema>;
