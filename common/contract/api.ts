/**
 * The typed channel map: every request the renderer can make of the service, with its parameter
 * and result schemas. The Electron IPC adapter and the WebSocket host both validate against it.
 */
import { z } from 'zod';
import { ProjectSchema } from '../graph/project-schema.js';
import { CheckpointSummarySchema } from './checkpoint.js';
import { JobSpecSchema, PreflightSchema } from './run.js';
import { ReopenRequestSchema, ReopenResultSchema } from './reopen.js';
import { BundledTextSchema, FisherPlanSchema, ProbeSettingsSchema, TaskSpecSchema } from './tasks.js';

/** Something a mergekit YAML export cannot express, with the reason; nodeId names the node it is about. */
const ExportGapSchema = z.strictObject({ nodeId: z.string().optional(), message: z.string() });

const empty = z.strictObject({});
const projectWithPath = z.strictObject({ project: ProjectSchema, path: z.string().nullable() });

export const API = {
  'app.info': {
    params: empty,
    result: z.strictObject({
      version: z.string(),
      host: z.enum(['web', 'desktop']),
      configDir: z.string(),
      homeDir: z.string(),
      /** Where a new project's outputs go by default. */
      defaultOutputDir: z.string(),
    }),
  },
  'checkpoint.open': {
    params: z.strictObject({ path: z.string().min(1), baseDir: z.string().optional() }),
    result: CheckpointSummarySchema,
  },
  'path.complete': {
    params: z.strictObject({ partial: z.string(), baseDir: z.string().optional() }),
    result: z.strictObject({
      entries: z.array(z.strictObject({ path: z.string(), name: z.string(), kind: z.enum(['dir', 'file']) })),
    }),
  },
  'run.preflight': { params: z.strictObject({ job: JobSpecSchema }), result: PreflightSchema },
  'run.start': { params: z.strictObject({ job: JobSpecSchema }), result: z.strictObject({ jobId: z.string() }) },
  'run.cancel': { params: z.strictObject({ jobId: z.string() }), result: z.strictObject({ cancelled: z.boolean() }) },
  'project.load': {
    params: z.strictObject({ path: z.string().min(1) }),
    result: z.strictObject({ project: ProjectSchema, path: z.string(), migratedFrom: z.number().int().nullable() }),
  },
  'project.save': {
    params: z.strictObject({ path: z.string().min(1), project: ProjectSchema }),
    result: z.strictObject({ path: z.string() }),
  },
  'project.recent': { params: empty, result: z.strictObject({ paths: z.array(z.string()) }) },
  'project.demo': { params: empty, result: z.strictObject({ project: ProjectSchema, path: z.string() }) },
  'project.fromOutput': { params: z.strictObject({ folder: z.string().min(1) }), result: projectWithPath },
  /** The graph an output recorded, its inputs found again by header hash where they moved (reopen.ts). */
  'recipe.extract': { params: ReopenRequestSchema, result: ReopenResultSchema },
  'autosave.write': { params: projectWithPath, result: empty },
  'autosave.read': {
    params: empty,
    result: z.strictObject({ saved: z.strictObject({ project: ProjectSchema, path: z.string().nullable(), savedAt: z.string() }).nullable() }),
  },
  'autosave.clear': { params: empty, result: empty },
  /** warnings: what the importer noticed (unknown keys, stage names shadowing folders…), to show the user. */
  'recipe.importYaml': { params: z.strictObject({ path: z.string().min(1) }), result: projectWithPath.extend({ warnings: z.array(z.string()).optional() }) },
  /**
   * check: list what mergekit cannot express (gaps, each naming its node where there is one) and
   * write nothing. withComments: write those gaps into the file as `# crucible: …` comment lines.
   * The result lists the gaps (absent when there are none).
   */
  'recipe.exportYaml': {
    params: z.strictObject({ path: z.string().min(1), job: JobSpecSchema, check: z.boolean().optional(), withComments: z.boolean().optional() }),
    result: z.strictObject({ path: z.string(), gaps: z.array(ExportGapSchema).optional() }),
  },
  /** Probes and node stages (tasks.ts): one runs at a time, beside merges; events carry the task id. */
  'task.start': { params: z.strictObject({ task: TaskSpecSchema }), result: z.strictObject({ taskId: z.string() }) },
  'task.cancel': { params: z.strictObject({ taskId: z.string() }), result: z.strictObject({ cancelled: z.boolean() }) },
  'probe.texts': { params: empty, result: z.strictObject({ texts: z.array(BundledTextSchema) }) },
  /** The work a Fisher estimate in the app would be, before starting it. */
  'fisher.plan': {
    params: z.strictObject({ model: z.string().min(1), out: z.string(), recipeDir: z.string(), probe: ProbeSettingsSchema }),
    result: FisherPlanSchema,
  },
} as const;

export type ApiMethod = keyof typeof API;
export type ApiParams<M extends ApiMethod> = z.infer<(typeof API)[M]['params']>;
export type ApiResult<M extends ApiMethod> = z.infer<(typeof API)[M]['result']>;
export const API_METHODS = Object.keys(API) as ApiMethod[];

export function isApiMethod(m: string): m is ApiMethod {
  return Object.prototype.hasOwnProperty.call(API, m);
}

/** The service as both adapters and the renderer's client see it. */
export type ServiceApi = { [M in ApiMethod]: (params: ApiParams<M>) => Promise<ApiResult<M>> };
