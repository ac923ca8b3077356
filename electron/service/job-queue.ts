/**
 * Jobs: a FIFO queue running one merge at a time (a merge already uses every core), each with its
 * own cancel. Events carry metadata only; tensors never leave the engine.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ServiceEvent } from '../../common/contract/events.js';
import type { JobSpec, Preflight as ContractPreflight, RunResult as ContractRunResult } from '../../common/contract/run.js';
import { formatBytes } from '../../common/contract/format-bytes.js';
import type { Preflight, RunOptions, RunResult } from '../engine/run/types.js';
import type { EnginePort } from './engine-port.js';
import { resolveUserPath } from './resolve-path.js';
import { toServiceError } from './service-error.js';
import { freeDiskFor } from './free-disk.js';
import { runStages } from '../engine/stages/run-stages.js';
import { preflightStages } from '../engine/stages/preflight-stages.js';
import type { MergeRecipe } from '../../common/recipe/types.js';

/** A chain's recipes in run order, the final merge last. */
function chainRecipes(spec: JobSpec, final: MergeRecipe): MergeRecipe[] | undefined {
  return spec.stages ? [...spec.stages.map((s) => s.recipe), final] : undefined;
}

/** Errors in a chain name the file 'graph' (the stages come from the editor's graph). */
const CHAIN_FILE = 'graph';

/**
 * Runs `work`, told which stage of the chain it is at: an error in an earlier stage names the
 * stage and carries its merge node (shown there); the final merge's errors are left as they are.
 */
async function stageErrors<T>(spec: JobSpec, work: (onStage: (name: string | null) => void) => Promise<T>): Promise<T> {
  let at: string | null = null;
  try {
    return await work((name) => (at = name));
  } catch (e) {
    const stage = spec.stages?.find((s) => s.recipe.name !== undefined && s.recipe.name === at);
    if (stage && e instanceof Error && (e as { nodeId?: unknown }).nodeId === undefined) {
      e.message = `stage '${at}': ${e.message}`;
      Object.assign(e, { nodeId: stage.mergeNodeId });
    }
    throw e;
  }
}

export interface JobQueueOptions {
  engine: EnginePort;
  emit: (event: ServiceEvent) => void;
  /** Test-only: forwarded to the engine to slow every tensor down. Never set by default. */
  testDelayMsPerTensor?: number;
  threads?: number;
}

interface Job {
  id: string;
  spec: JobSpec;
  controller: AbortController;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

// Compile-time checks that the engine's shapes fit the contract's (the contract is what crosses).
const asContractPreflight = (p: Preflight): ContractPreflight => p;
const asContractResult = (r: RunResult): ContractRunResult => r;

export function diskRefusal(p: Preflight, out: string): string | null {
  if (p.fitsOnDisk) return null;
  return `The output would not fit on disk: it needs ${formatBytes(p.bytesToWrite)} and only ${formatBytes(p.freeDisk)} are free where ${out} would be written.`;
}

/** JobSpec.fisherFiles (the first form the app sent) folded into the recipe's models as ModelSpec.fisher. */
function withFisherFiles(spec: JobSpec): RunOptions['recipe'] {
  const files = spec.fisherFiles;
  if (!files || spec.recipe.mergeMethod !== 'fisher') return spec.recipe;
  // A model left without a file is refused by the planner, naming it.
  return { ...spec.recipe, models: (spec.recipe.models ?? []).map((m, i) => (files[i] === undefined ? m : { ...m, fisher: files[i] })) };
}

function dominantDtype(p: Preflight): string | undefined {
  const bytes = new Map<string, number>();
  for (const t of p.tensorList) bytes.set(t.dtype, (bytes.get(t.dtype) ?? 0) + t.shape.reduce((a, b) => a * b, 1));
  let best: string | undefined;
  for (const [d, n] of bytes) if (best === undefined || n > (bytes.get(best) ?? 0)) best = d;
  return best;
}

export class JobQueue {
  private readonly queue: Job[] = [];
  private running: Job | null = null;

  constructor(private readonly opts: JobQueueOptions) {}

  runOptions(spec: JobSpec, signal?: AbortSignal, onEvent?: RunOptions['onEvent']): RunOptions {
    const recipeDir = resolveUserPath(spec.recipeDir || '~');
    const o: RunOptions = {
      recipe: withFisherFiles(spec),
      recipeDir,
      out: resolveUserPath(spec.out, recipeDir),
      force: spec.force,
      signal,
      onEvent,
      provenance: spec.graph === undefined ? undefined : { graph: spec.graph },
    };
    if (spec.shardSize !== undefined) o.shardSize = spec.shardSize;
    if (spec.seed !== undefined) o.seed = spec.seed;
    if (spec.diagnostics) o.diagnostics = true;
    if (this.opts.threads !== undefined) o.threads = this.opts.threads;
    if (this.opts.testDelayMsPerTensor) o.testDelayMsPerTensor = this.opts.testDelayMsPerTensor;
    return o;
  }

  async preflight(spec: JobSpec): Promise<ContractPreflight> {
    const opts = this.runOptions(spec);
    return asContractPreflight(await this.checkedPreflight(opts, spec));
  }

  /** The engine's pre-flight (of every stage, for a chain), with free space measured on the nearest existing folder when the output's parent does not exist yet. */
  private async checkedPreflight(opts: RunOptions, spec: JobSpec): Promise<Preflight> {
    const quiet = { ...opts, onEvent: undefined };
    const chain = chainRecipes(spec, opts.recipe);
    const pf = chain
      ? await stageErrors(spec, (onStage) => preflightStages({ ...quiet, stages: chain, file: CHAIN_FILE, preflight: (o) => this.opts.engine.preflight(o), onStage }))
      : await this.opts.engine.preflight(quiet);
    if (Number.isFinite(pf.freeDisk)) return pf;
    const freeDisk = await freeDiskFor(opts.out);
    return { ...pf, freeDisk, fitsOnDisk: freeDisk >= pf.bytesToWrite };
  }

  start(spec: JobSpec): string {
    const job: Job = { id: randomUUID(), spec, controller: new AbortController() };
    this.queue.push(job);
    queueMicrotask(() => void this.pump());
    return job.id;
  }

  cancel(jobId: string): boolean {
    if (this.running?.id === jobId) {
      this.running.controller.abort();
      return true;
    }
    const i = this.queue.findIndex((j) => j.id === jobId);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    this.opts.emit({ kind: 'job.cancelled', jobId });
    return true;
  }

  /** Resolves when nothing is queued or running (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running || this.queue.length) await new Promise((r) => setTimeout(r, 10));
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    try {
      await this.run(job);
    } finally {
      this.running = null;
      void this.pump();
    }
  }

  /**
   * A chain: the engine's stage runner, each stage's output in a temporary folder beside the final
   * one (removed when the job ends), a `stage` event as each begins.
   */
  private runChain(job: Job, opts: RunOptions, chain: MergeRecipe[], onNode: (nodeId: string | undefined) => void): Promise<RunResult> {
    const nodeOf = new Map<string | null, string | undefined>((job.spec.stages ?? []).map((s) => [s.recipe.name ?? null, s.mergeNodeId]));
    return stageErrors(job.spec, (onStageName) => runStages({
      ...opts,
      stages: chain,
      file: CHAIN_FILE,
      run: (o) => this.opts.engine.runMerge(o),
      onSkipped: (message) => opts.onEvent?.({ type: 'warning', message }),
      onStage: (e) => {
        onStageName(e.index === e.count ? null : e.name);
        const mergeNodeId = e.index === e.count ? job.spec.mergeNodeId : nodeOf.get(e.name);
        onNode(mergeNodeId);
        this.opts.emit({
          kind: 'job.event',
          jobId: job.id,
          event: { type: 'stage', index: e.index, count: e.count, name: e.name, ...(mergeNodeId === undefined ? {} : { mergeNodeId }) },
        });
      },
    }));
  }

  private async run(job: Job): Promise<void> {
    const { emit } = this.opts;
    const signal = job.controller.signal;
    const opts = this.runOptions(job.spec, signal, (event) => emit({ kind: 'job.event', jobId: job.id, event }));
    const existedBefore = await exists(opts.out);
    // In a chain, the merge node of the stage running (errors are shown there).
    let failingNode = job.spec.mergeNodeId;
    try {
      const pf = await this.checkedPreflight(opts, job.spec);
      const refusal = diskRefusal(pf, opts.out);
      if (refusal) {
        emit({ kind: 'job.failed', jobId: job.id, error: { kind: 'input', message: refusal, file: opts.out, nodeId: job.spec.outputNodeId } });
        return;
      }
      if (signal.aborted) throw Object.assign(new Error('Cancelled.'), { name: 'CancelledError' });
      // The output's parent is created as the user named it; the output folder itself is the engine's.
      await mkdir(dirname(opts.out), { recursive: true });
      emit({ kind: 'job.started', jobId: job.id, preflight: asContractPreflight(pf), mergeNodeId: job.spec.mergeNodeId });
      const chain = chainRecipes(job.spec, opts.recipe);
      const result = asContractResult(chain ? await this.runChain(job, opts, chain, (nodeId) => (failingNode = nodeId)) : await this.opts.engine.runMerge(opts));
      const dtype = dominantDtype(pf);
      emit({ kind: 'job.finished', jobId: job.id, result: dtype ? { ...result, dtype } : result });
    } catch (e) {
      const error = toServiceError(e);
      if (signal.aborted || error.kind === 'cancelled') {
        // The engine stages its output beside the destination; make sure nothing is left that was not there before.
        if (!existedBefore) await rm(opts.out, { recursive: true, force: true });
        emit({ kind: 'job.cancelled', jobId: job.id });
      } else {
        emit({ kind: 'job.failed', jobId: job.id, error: { ...error, nodeId: error.nodeId ?? failingNode } });
      }
    }
  }
}
