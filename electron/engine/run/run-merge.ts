/**
 * One merge, end to end: read the inputs' headers, plan and validate every tensor (before any
 * tensor data is read), lay out the output, run the tasks on the worker pool under the memory
 * budget, write config and tokenizer files, and commit the staged folder under its final name.
 */
import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { planShards } from '../io/shards.js';
import type { CheckpointInfo } from '../io/types.js';
import { planMerge } from '../plan/plan-merge.js';
import type { MergePlan } from '../plan/types.js';
import { executeTasks, defaultThreads } from '../executor/run-tasks.js';
import { processMemoryBudget } from '../executor/memory-budget.js';
import { BLOCK } from '../backend/types.js';
import { buildUnits, scheduleOrder, type PlacedTensor } from './build-units.js';
import { computeMemoryBytes } from '../executor/compute-memory.js';
import { loadInputs, type LoraParts, type LoraWork } from './load-inputs.js';
import { recordedFilePaths } from './recorded-inputs.js';
import { copyTokenizerFiles, outputConfig, writeConfig } from './output-config.js';
import { resolveChatTemplate, writeChatTemplate } from './chat-template.js';
import { TEMP_PREFIX, checkDestination, commitOutput, discardOutput, readPaths, removeStaleTemps, stageOutput } from './output-folder.js';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dominantFloatDtype, outputTensors, provenanceMetadata, type OutputTensor } from './output-layout.js';
import { tensorGroup } from './tensor-group.js';
import { isStatisticsPass } from './split-statistics.js';
import { STOP_WAIT_ON_FAILURE_MS, startEarlyWriteback } from './early-writeback.js';
import { sha256Files } from './full-hash.js';
import { modelCard } from './model-card.js';
import { recipeGraph } from './recipe-graph.js';
import { crucibleVersion } from './version.js';
import { pauseForTest } from './test-hooks.js';
import { describeWriteFailure } from './write-failure.js';
import { addSums, finishStats, type StatSums } from '../diagnostics/merge-stats.js';
import { NonFiniteReport, type NonFiniteCount } from './non-finite-report.js';
import type { Preflight, RunEvent, RunOptions, RunResult } from './types.js';

export const DEFAULT_SHARD_SIZE = 5e9;
/**
 * Largest chunk: 1 MiB of float32 per input buffer. Measured with the engine bench (ties and linear
 * on the 1.4 GB model): 4 MiB buffers cost 1.5–2× the system time (page-cache copies into buffers
 * that no longer stay in cache) and more memory traffic per kernel pass; 64 KiB–256 KiB chunks
 * pay in more calls. design.md: reads over 4 MiB are slower still.
 */
const MAX_CHUNK = 1 << 18;

interface Prepared {
  plan: MergePlan;
  checkpoints: Map<string, CheckpointInfo>;
  loraParts: Map<string, LoraParts>;
  tensors: OutputTensor[];
  seed: number;
  memoryBudget: number;
  threads: number;
  chunk: number;
}

/**
 * What a tensor's statistics may hold between passes (DELLA's kept decisions), as a fraction of the
 * memory budget. Each of the tensor's units reserves all of it, and units of one tensor run
 * together: at the 256 MiB minimum budget the bench's embedding (131 MB of decisions) would let
 * only one run at a time, slower than ranking its rows twice; at 2 GB they are kept.
 */
const HOLD_FRACTION = 1 / 8;

/** The chunk size: as large as allowed while every thread's scratch buffers fit in half the budget. */
export function chooseChunk(maxInputs: number, threads: number, budget: number): number {
  let chunk = MAX_CHUNK;
  while (chunk > BLOCK && threads * computeMemoryBytes(maxInputs, chunk) > budget / 2) chunk /= 2;
  return chunk;
}

/** A folder for LoRA overlays, beside the output (same disk; a crash leaves it to removeStaleTemps). */
function loraWork(opts: RunOptions, cleanup: (() => Promise<void>)[]): LoraWork {
  let dir: Promise<string> | undefined;
  return {
    signal: opts.signal,
    workDir: () => {
      dir ??= (async () => {
        const parent = dirname(resolve(opts.out));
        await mkdir(parent, { recursive: true });
        const path = await mkdtemp(join(parent, `${TEMP_PREFIX}lora-${process.pid}-`));
        cleanup.push(() => rm(path, { recursive: true, force: true }));
        return path;
      })();
      return dir;
    },
  };
}

async function prepare(opts: RunOptions, cleanup: (() => Promise<void>)[]): Promise<Prepared> {
  const { checkpoints, loraParts } = await loadInputs(opts.recipe, resolve(opts.recipeDir), opts.modelsRoot, opts.modelPaths, loraWork(opts, cleanup), opts.standIns);
  const seed = (opts.seed ?? opts.recipe.seed ?? 0) >>> 0;
  const plan = planMerge({ ...opts.recipe, seed }, checkpoints, { allowCrimes: opts.allowCrimes });
  const tensors = outputTensors(plan, checkpoints);
  const budget = processMemoryBudget(opts.memoryBudget);
  const threads = Math.max(1, opts.threads ?? defaultThreads());
  const maxInputs = Math.max(1, ...plan.tensors.map((t) => t.models.length + (t.base ? 1 : 0) + (t.fisher?.length ?? 0)));
  return {
    plan,
    checkpoints,
    loraParts,
    tensors,
    seed,
    memoryBudget: budget.bytesLimit,
    threads,
    chunk: chooseChunk(maxInputs, threads, budget.bytesLimit),
  };
}

function bytesToRead(p: Prepared): number {
  let total = 0;
  for (const t of p.tensors) {
    const srcs = t.plan.copyFrom ? [t.plan.copyFrom] : [...(t.plan.base ? [t.plan.base] : []), ...t.plan.models, ...(t.plan.fisher ?? [])];
    for (const s of srcs) {
      const info = p.checkpoints.get(s.model)?.tensors.get(s.tensor);
      if (info) total += Math.round((info.byteLength * t.numel) / Math.max(1, info.numel));
    }
  }
  return total;
}

async function freeBytes(path: string): Promise<number> {
  try {
    const s = await statfs(path);
    return s.bavail * s.bsize;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function tensorListOf(p: Prepared): Preflight['tensorList'] {
  return p.tensors.map((t) => ({ name: t.name, layer: t.plan.layer, group: tensorGroup(t.name), shape: t.shape, dtype: t.dtype }));
}

export async function preflight(opts: RunOptions): Promise<Preflight> {
  const cleanup: (() => Promise<void>)[] = [];
  try {
    return await preflightWith(opts, cleanup);
  } finally {
    for (const c of cleanup) await c();
  }
}

async function preflightWith(opts: RunOptions, cleanup: (() => Promise<void>)[]): Promise<Preflight> {
  const p = await prepare(opts, cleanup);
  const out = resolve(opts.out);
  const bytesToWrite = p.tensors.reduce((s, t) => s + t.byteLength, 0);
  const freeDisk = await freeBytes(dirname(out));
  return {
    tensors: p.tensors.length,
    layerCount: p.plan.layerCount,
    bytesToRead: bytesToRead(p),
    bytesToWrite,
    memoryBudget: p.memoryBudget,
    freeDisk,
    fitsOnDisk: freeDisk >= bytesToWrite * 1.01 + 1e6,
    warnings: p.plan.warnings,
    tensorList: tensorListOf(p),
  };
}

export async function runMerge(opts: RunOptions): Promise<RunResult> {
  const cleanup: (() => Promise<void>)[] = [];
  try {
    return await runMergeWith(opts, cleanup);
  } finally {
    for (const c of cleanup) await c();
  }
}

async function runMergeWith(opts: RunOptions, cleanup: (() => Promise<void>)[]): Promise<RunResult> {
  const started = performance.now();
  const emit = (e: RunEvent) => opts.onEvent?.(e);
  const p = await prepare(opts, cleanup);
  await pauseForTest('inputs-read');
  const warnings = [...p.plan.warnings];
  for (const w of warnings) emit({ type: 'warning', message: w });

  const inputPaths = await readPaths([...p.checkpoints.values()], opts.readFiles);
  await removeStaleTemps(dirname(resolve(opts.out))); // first: it may restore an output a killed --force run had moved aside
  await checkDestination(opts.out, inputPaths, opts.force ?? false);
  const out = resolve(opts.out);

  const bytesToWrite = p.tensors.reduce((s, t) => s + t.byteLength, 0);
  const freeDisk = await freeBytes(dirname(out));
  if (freeDisk < bytesToWrite) {
    const { InputError } = await import('../io/types.js');
    throw new InputError(`not enough free disk space for the output: ${bytesToWrite} bytes needed, ${freeDisk} free`, out);
  }

  // Every output records a graph (a recipe's own layout when no editor graph was given) so it can be reopened.
  const graph = opts.provenance?.graph ?? recipeGraph(opts.recipe);
  const fileSha256 = opts.provenance?.fullHash ? await sha256Files(recordedFilePaths(p.checkpoints, p.loraParts), opts.signal) : undefined;
  const metadata = provenanceMetadata({
    recipe: opts.recipe,
    plan: p.plan,
    checkpoints: p.checkpoints,
    loraParts: p.loraParts,
    seed: p.seed,
    graph,
    recipeYaml: opts.provenance?.recipeYaml,
    fileSha256,
    stages: opts.provenance?.stages,
  });
  const layout = planShards(
    p.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape })),
    opts.shardSize ?? DEFAULT_SHARD_SIZE,
    metadata,
  );

  const staged = await stageOutput(out);
  try {
    // Headers first, files at full size; workers fill the tensor data in place.
    const placed: PlacedTensor[] = [];
    const byName = new Map(p.tensors.map((t) => [t.name, t]));
    for (const file of layout.files) {
      const path = join(staged.temp, file.name);
      const h = await open(path, 'wx');
      try {
        await h.write(file.header, 0, file.header.length, 0);
        await h.truncate(file.size);
      } finally {
        await h.close();
      }
      for (const t of file.tensors) placed.push({ ...byName.get(t.name)!, file: path, offset: t.offset });
    }
    if (layout.index) await writeFile(join(staged.temp, 'model.safetensors.index.json'), JSON.stringify(layout.index, null, 2) + '\n');

    await pauseForTest('output-staged');
    const units = scheduleOrder(buildUnits(placed, p.checkpoints, p.seed, p.chunk, opts.splitElements, p.memoryBudget * HOLD_FRACTION));
    const remaining = new Map<number, number>();
    for (const u of units) remaining.set(u.tensorIndex, (remaining.get(u.tensorIndex) ?? 0) + 1);
    const bytesTotal = units.reduce((s, u) => s + u.workBytes, 0);
    let tensorsDone = 0;
    const statsByTensor = new Map<number, StatSums>();
    // NaN and ±Inf written, per tensor (summed over its ranges), warned of as each tensor is finished.
    const nonFiniteByTensor = new Map<number, NonFiniteCount>();
    const nonFinite = new NonFiniteReport(placed.length);
    const warn = (message: string) => {
      warnings.push(message);
      emit({ type: 'warning', message });
    };
    let lastBytes = 0;
    let lastTime = performance.now();
    let rate = 0;
    const progress = (bytesDone: number) => {
      const now = performance.now();
      const dt = (now - lastTime) / 1000;
      if (dt > 0.05) {
        const inst = (bytesDone - lastBytes) / dt;
        rate = rate === 0 ? inst : 0.7 * rate + 0.3 * inst;
        lastBytes = bytesDone;
        lastTime = now;
      }
      const elapsed = (now - started) / 1000;
      emit({
        type: 'progress',
        tensorsDone,
        tensorsTotal: placed.length,
        bytesDone,
        bytesTotal,
        bytesPerSecond: rate,
        elapsedSeconds: elapsed,
        etaSeconds: rate > 0 ? Math.max(0, (bytesTotal - bytesDone) / rate) : null,
      });
    };
    const writeback = startEarlyWriteback(layout.files.map((f) => join(staged.temp, f.name)));
    await executeTasks({
      units,
      threads: p.threads,
      chunk: p.chunk,
      backend: opts.backend ?? 'auto',
      budget: processMemoryBudget(),
      signal: opts.signal,
      delayMs: opts.testDelayMsPerTensor,
      diagnostics: opts.diagnostics,
      onProgress: progress,
      onUnitDone: (u, unitWarnings, stats, unitNonFinite) => {
        for (const w of unitWarnings) warn(w);
        // A statistics pass over a range writes nothing; the range's output unit follows it.
        if (isStatisticsPass(u)) return;
        if (stats) {
          const sofar = statsByTensor.get(u.tensorIndex);
          statsByTensor.set(u.tensorIndex, sofar ? addSums(sofar, stats) : stats);
        }
        if (unitNonFinite) {
          const sofar = nonFiniteByTensor.get(u.tensorIndex) ?? { nan: 0, inf: 0 };
          nonFiniteByTensor.set(u.tensorIndex, { nan: sofar.nan + unitNonFinite.nan, inf: sofar.inf + unitNonFinite.inf });
        }
        const left = remaining.get(u.tensorIndex)! - 1;
        remaining.set(u.tensorIndex, left);
        if (left === 0) {
          tensorsDone++;
          const t = placed[u.tensorIndex];
          emit({ type: 'tensor', name: t.name, layer: t.plan.layer, group: tensorGroup(t.name) });
          const bad = nonFiniteByTensor.get(u.tensorIndex);
          if (bad) {
            nonFiniteByTensor.delete(u.tensorIndex);
            const message = nonFinite.tensor(t.name, t.dtype, t.numel, bad);
            if (message) warn(message);
          }
          const sums = statsByTensor.get(u.tensorIndex);
          if (sums) {
            statsByTensor.delete(u.tensorIndex);
            emit({ type: 'diagnostics', name: t.name, layer: t.plan.layer, group: tensorGroup(t.name), stats: finishStats(sums) });
          }
        }
      },
    }).catch(async (err: unknown) => {
      // Cancelled or failed: the output is discarded. A flush in progress is waited for only
      // briefly (cancellation stays prompt); its files close when it ends.
      await writeback.stop(STOP_WAIT_ON_FAILURE_MS);
      throw err;
    });
    await writeback.stop();
    progress(bytesTotal);
    const nonFiniteSummary = nonFinite.summary();
    if (nonFiniteSummary) warn(nonFiniteSummary);

    const donor = p.checkpoints.get(p.plan.donor);
    await writeConfig(
      staged.temp,
      outputConfig(donor?.config, { dtype: dominantFloatDtype(p.tensors), layerCount: p.plan.layerCount, vocabSize: p.plan.vocabSize, tieWordEmbeddings: p.plan.tieWordEmbeddings }),
    );
    const tokenizerFrom = p.plan.tokenizerSource ? p.checkpoints.get(p.plan.tokenizerSource) : donor;
    await copyTokenizerFiles(tokenizerFrom?.folder, staged.temp);
    if (p.plan.chatTemplate !== undefined) {
      const template = await resolveChatTemplate(p.plan.chatTemplate, [...p.checkpoints.values()].map((c) => c.folder));
      if (template !== undefined) await writeChatTemplate(staged.temp, template);
      else warnings.push('chat_template: auto found no chat template among the inputs; none written');
    }
    await writeFile(
      join(staged.temp, 'README.md'),
      modelCard({
        recipe: opts.recipe,
        models: p.plan.models.filter((m) => m.role !== 'fisher').map((m) => m.key),
        recipeYaml: opts.provenance?.recipeYaml,
        graph,
        version: crucibleVersion(),
        stages: opts.provenance?.stages,
      }),
    );
    await pauseForTest('before-commit');
    await commitOutput(staged, opts.force ?? false);
    await pauseForTest('after-rename');
  } catch (err) {
    await discardOutput(staged);
    throw describeWriteFailure(err, staged.out, staged.temp);
  }
  return {
    out,
    tensors: p.tensors.length,
    bytes: bytesToWrite,
    seconds: (performance.now() - started) / 1000,
    warnings,
    layerCount: p.plan.layerCount,
  };
}
