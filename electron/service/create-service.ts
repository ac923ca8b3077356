/**
 * The main-process service: everything the UI can ask for, with no Electron import. The Electron
 * shell adapts it to IPC and the web host to a WebSocket; both validate messages against the contract.
 */
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ApiParams, ServiceApi } from '../../common/contract/api.js';
import type { ServiceEvent } from '../../common/contract/events.js';
import { recipeToProject } from '../../common/graph/recipe-to-project.js';
import { Autosave } from './autosave.js';
import { reopenResult } from './reopen-output.js';
import { summarizeCheckpoint } from './checkpoint-summary.js';
import { loadDemoProject } from './demo-project.js';
import type { EnginePort } from './engine-port.js';
import { JobQueue } from './job-queue.js';
import { completePath } from './path-completion.js';
import { readProjectFile, writeProjectFile } from './project-files.js';
import { RecentProjects } from './recent-projects.js';
import { resolveUserPath } from './resolve-path.js';
import { fail } from './service-error.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';
import { TaskQueue, type TaskRunner } from './task-queue.js';
import { isProbeTask, runProbeTask } from './probe-tasks.js';
import { listBundledTexts } from './probe-texts.js';
import { isStageTask, planFisher, runStageTask } from './stage-tasks.js';
import { recipesAsProject } from '../engine/recipe/recipes-as-project.js';
import { resolveModelRef } from '../engine/recipe/model-ref.js';
import { anchorImportedPaths } from './anchor-imported-paths.js';
import { withGapComments, withoutGapComments } from '../engine/recipe/export/gap-comments.js';
import { jobExportGaps } from './export-gaps.js';

export interface ServiceOptions {
  engine: EnginePort;
  configDir: string;
  /** The folder holding demo/ and icons (unpacked from asar in a packaged app). */
  assetsDir: string;
  host: 'web' | 'desktop';
  version: string;
  testDelayMsPerTensor?: number;
  threads?: number;
}

export interface Service {
  api: ServiceApi;
  onEvent(listener: (event: ServiceEvent) => void): () => void;
  /** Cancels running jobs and waits for them. */
  close(): Promise<void>;
}

export function createService(opts: ServiceOptions): Service {
  const listeners = new Set<(event: ServiceEvent) => void>();
  const emit = (event: ServiceEvent): void => {
    for (const l of listeners) l(event);
  };
  const jobs = new JobQueue({ engine: opts.engine, emit, testDelayMsPerTensor: opts.testDelayMsPerTensor, threads: opts.threads });
  const activeJobs = new Set<string>();
  listeners.add((e) => {
    if (e.kind === 'job.finished' || e.kind === 'job.failed' || e.kind === 'job.cancelled') activeJobs.delete(e.jobId);
  });
  const runTask: TaskRunner = async (spec, ctx) => {
    if (isProbeTask(spec)) {
      if (!opts.engine.probe) return fail('not-implemented', 'Probes are not available in this engine.');
      return runProbeTask(spec, ctx, { port: opts.engine.probe, assetsDir: opts.assetsDir, configDir: opts.configDir });
    }
    if (isStageTask(spec)) return runStageTask(spec, ctx, { engine: opts.engine, assetsDir: opts.assetsDir });
    return fail('not-implemented', `Unknown task '${(spec as { kind: string }).kind}'.`);
  };
  const tasks = new TaskQueue(runTask, emit);
  const autosave = new Autosave(opts.configDir);
  const recent = new RecentProjects(opts.configDir);

  const reopen = async (path: string, modelsRoot?: string) => {
    if (!opts.engine.reopenOutput) return fail('not-implemented', 'Reopening an output\'s recipe is not available in this engine.');
    return reopenResult(await opts.engine.reopenOutput(resolveUserPath(path), modelsRoot === undefined ? undefined : resolveUserPath(modelsRoot)));
  };

  const api: ServiceApi = {
    'app.info': async () => ({
      version: opts.version,
      host: opts.host,
      configDir: opts.configDir,
      homeDir: homedir(),
      defaultOutputDir: join(homedir(), 'crucible-output'),
    }),
    'checkpoint.open': async ({ path, baseDir }) => {
      const full = resolveUserPath(path, baseDir);
      try {
        return summarizeCheckpoint(await opts.engine.openCheckpoint(full));
      } catch (err) {
        if (existsSync(full)) throw err;
        // Not here: resolved as a recipe's model reference is when it runs, so a hub id is found in
        // the local Hugging Face cache, or named as a hub id with how to fetch it.
        return summarizeCheckpoint(await opts.engine.openCheckpoint(resolveModelRef(path.trim(), { recipeDir: resolveUserPath(baseDir ?? '~') })));
      }
    },
    'path.complete': async ({ partial, baseDir }) => ({ entries: await completePath(partial, baseDir) }),
    'run.preflight': async ({ job }) => jobs.preflight(job),
    'run.start': async ({ job }) => {
      const jobId = jobs.start(job);
      activeJobs.add(jobId);
      return { jobId };
    },
    'run.cancel': async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'project.load': async ({ path }) => {
      const full = resolveUserPath(path);
      const { project, migratedFrom } = await readProjectFile(full);
      await recent.add(full);
      return { project, path: full, migratedFrom };
    },
    'project.save': async ({ path, project }) => {
      const full = resolveUserPath(path);
      await writeProjectFile(full, project);
      await recent.add(full);
      await autosave.clear();
      return { path: full };
    },
    'project.recent': async () => ({ paths: await recent.list() }),
    'project.demo': async () => loadDemoProject(opts.assetsDir, opts.configDir),
    'project.fromOutput': async ({ folder }) => ({ project: (await reopen(folder)).project, path: null }),
    'recipe.extract': async ({ path, modelsRoot }) => reopen(path, modelsRoot),
    'autosave.write': async ({ project, path }) => {
      await autosave.write(project, path);
      return {};
    },
    'autosave.read': async () => ({ saved: await autosave.read() }),
    'autosave.clear': async () => {
      await autosave.clear();
      return {};
    },
    'recipe.importYaml': async ({ path }: ApiParams<'recipe.importYaml'>) => {
      const full = resolveUserPath(path);
      if (!opts.engine.importYaml) return fail('not-implemented', 'Importing mergekit YAML is not available yet.');
      const read = await opts.engine.importYaml(await readFile(full, 'utf8'), full);
      const name = basename(full).replace(/\.ya?ml$/i, '');
      // Several documents (mergekit-multi) open as a chain of merge nodes.
      const laid = recipesAsProject(read.recipes, full, { name, outFolder: join(homedir(), 'crucible-output', name) });
      // The reader's warnings first (what the YAML said that the graph leaves out), then the layout's.
      const warnings = [...read.warnings, ...laid.warnings];
      return { project: anchorImportedPaths(laid.project, dirname(full)), path: null, ...(warnings.length ? { warnings } : {}) };
    },
    'task.start': async ({ task }) => ({ taskId: tasks.start(task) }),
    'task.cancel': async ({ taskId }) => ({ cancelled: tasks.cancel(taskId) }),
    'probe.texts': async () => ({ texts: await listBundledTexts(opts.assetsDir) }),
    'fisher.plan': async (p) => planFisher(p, { engine: opts.engine, assetsDir: opts.assetsDir }),
    'recipe.exportYaml': async ({ path, job, check, withComments }) => {
      if (!opts.engine.exportYaml) return fail('not-implemented', 'Exporting mergekit YAML is not available yet.');
      const full = resolveUserPath(path);
      const gaps = jobExportGaps(job);
      const listed = gaps.length ? { gaps } : {};
      if (check) return { path: full, ...listed };
      // A chain: its stages first, each a named document, the final merge last.
      const recipes = [...(job.stages ?? []).map((s) => s.recipe), job.recipe];
      const text = await opts.engine.exportYaml(recipes, { path: full, recipeDir: resolveUserPath(job.recipeDir || '~') });
      await writeFileAtomic(full, withComments ? withGapComments(text, gaps.map((g) => g.message)) : withoutGapComments(text));
      return { path: full, ...listed };
    },
  };

  return {
    api,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      for (const id of activeJobs) jobs.cancel(id);
      tasks.cancelAll();
      await Promise.all([jobs.idle(), tasks.idle()]);
      await opts.engine.probe?.close();
    },
  };
}
