/**
 * `crucible merge RECIPE [--out DIR] ...`: RECIPE is a mergekit YAML file (several documents run
 * as stages, mergekit-multi's way) or a Crucible project file (each Output node is written; --out
 * replaces the folder of a project's only Output node).
 */
import { resolveUserPath } from '../../service/resolve-path.js';
import { parseSize } from '../../engine/io/size.js';
import { preflight, runMerge } from '../../engine/run/run-merge.js';
import type { RunOptions, RunResult } from '../../engine/run/types.js';
import { keptStagesDir, runStages, type StageStart } from '../../engine/stages/run-stages.js';
import { UsageError } from '../exit-codes.js';
import { memoryBudgetFlag, threadsFlag } from '../resource-flags.js';
import { loadMergeSource, type ProjectSource, type YamlSource } from '../merge-source.js';
import { formatBytes, type Reporter } from '../output.js';

export interface MergeArgs {
  recipe: string;
  out?: string;
  modelsRoot?: string;
  intermediateDir?: string;
  /** Keep the stage outputs (in --intermediate-dir, else `<out>-stages`). */
  keepIntermediates?: boolean;
  seed?: string;
  threads?: string;
  memoryBudget?: string;
  shardSize?: string;
  force?: boolean;
  /** Merge inputs of different architectures anyway (mergekit's flag). */
  allowCrimes?: boolean;
  /** Also record every input file's full-content sha256. */
  fullHash?: boolean;
  backend?: string;
  testDelayMs?: string;
}

function intArg(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got '${value}')`);
  return n;
}

function sizeArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseSize(value);
  } catch (err) {
    throw new UsageError(`--${name}: ${(err as Error).message}`);
  }
}

/** A shard holds whole bytes, at least one (the writer refuses anything else as an internal error). */
function shardSizeArg(value: string | undefined): number | undefined {
  const n = sizeArg('shard-size', value);
  if (n !== undefined && !(Number.isInteger(n) && n >= 1)) throw new UsageError(`--shard-size must be at least 1 byte, a whole number (got '${value}')`);
  return n;
}

type Common = Omit<RunOptions, 'recipe' | 'recipeDir' | 'out'>;

function commonOptions(args: MergeArgs, r: Reporter, signal: AbortSignal): Common {
  const backend = args.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'wasm' && backend !== 'ts') throw new UsageError(`--backend must be auto, wasm or ts (got '${backend}')`);
  let lastLine = 0;
  return {
    modelsRoot: args.modelsRoot,
    force: args.force ?? false,
    allowCrimes: args.allowCrimes ?? false,
    seed: intArg('seed', args.seed, 0, 0xffffffff),
    threads: threadsFlag(args.threads),
    memoryBudget: memoryBudgetFlag(args.memoryBudget),
    shardSize: shardSizeArg(args.shardSize),
    backend,
    signal,
    testDelayMsPerTensor: intArg('test-delay-ms', args.testDelayMs ?? process.env.CRUCIBLE_TEST_DELAY_MS, 0, 60_000),
    onEvent: (e) => {
      if (e.type === 'warning') r.warn(e.message);
      else if (e.type === 'progress') {
        r.event(e);
        const now = Date.now();
        if (!r.json && process.stderr.isTTY && now - lastLine > 200) {
          lastLine = now;
          const pct = e.bytesTotal > 0 ? ((100 * e.bytesDone) / e.bytesTotal).toFixed(1) : '100.0';
          process.stderr.write(`\r${pct}%  ${e.tensorsDone}/${e.tensorsTotal} tensors  ${formatBytes(e.bytesPerSecond)}/s   `);
        }
      } else r.event(e);
    },
  };
}

function reportDone(r: Reporter, result: RunResult): void {
  if (!r.json && process.stderr.isTTY) process.stderr.write('\n');
  r.event({ type: 'done', out: result.out, tensors: result.tensors, bytes: result.bytes, seconds: result.seconds });
  r.info(`wrote ${result.out}: ${result.tensors} tensors, ${formatBytes(result.bytes)} in ${result.seconds.toFixed(2)} s`);
}

function reportStage(r: Reporter, e: StageStart): void {
  r.event(e);
  r.info(`stage ${e.index}/${e.count}${e.name === null ? '' : ` '${e.name}'`} → ${e.out}`);
}

async function mergeYaml(source: YamlSource, args: MergeArgs, common: Common, r: Reporter): Promise<void> {
  if (!args.out) throw new UsageError('crucible merge needs --out DIR');
  const result = await runStages({
    ...common,
    stages: source.stages,
    file: source.file,
    recipeDir: source.dir,
    out: args.out,
    intermediateDir: keptStagesDir(args.out, args.intermediateDir, args.keepIntermediates),
    provenance: { recipeYaml: source.text, fullHash: args.fullHash },
    run: runMerge,
    preflight,
    onSkipped: (m) => r.warn(m),
    onStage: (e) => reportStage(r, e),
  });
  reportDone(r, result);
}

async function mergeProject(source: ProjectSource, args: MergeArgs, common: Common, r: Reporter): Promise<void> {
  if ((args.intermediateDir !== undefined || args.keepIntermediates) && source.jobs.every((j) => !j.stages)) {
    const flag = args.intermediateDir !== undefined ? '--intermediate-dir' : '--keep-intermediates';
    throw new UsageError(`${flag} is for multi-stage recipes: no Output node of this project is fed by a chain of merges`);
  }
  if (args.out !== undefined && source.jobs.length > 1) {
    throw new UsageError(`${source.file} has ${source.jobs.length} Output nodes, each with its folder: --out can only replace the folder of a single one`);
  }
  for (const job of source.jobs) {
    const opts = {
      ...common,
      recipe: job.recipe,
      recipeDir: source.dir,
      out: args.out ?? resolveUserPath(job.out, source.dir),
      force: common.force || job.force,
      // A chain's recipes carry each stage's own seed: only --seed overrides them all.
      seed: common.seed ?? (job.stages ? undefined : job.seed),
      shardSize: common.shardSize ?? job.shardSize,
      provenance: { graph: source.project, fullHash: args.fullHash },
      readFiles: [source.file],
    };
    // A chain of merge nodes runs as the stages of a multi-stage recipe.
    const result = job.stages
      ? await runStages({
          ...opts,
          stages: [...job.stages.map((s) => s.recipe), job.recipe],
          file: source.file,
          intermediateDir: keptStagesDir(opts.out, args.intermediateDir, args.keepIntermediates),
          run: runMerge,
          preflight,
          onSkipped: (m) => r.warn(m),
          onStage: (e) => reportStage(r, e),
        })
      : await runMerge(opts);
    reportDone(r, result);
  }
}

export async function mergeCommand(args: MergeArgs, r: Reporter, signal: AbortSignal): Promise<void> {
  const common = commonOptions(args, r, signal);
  const source = await loadMergeSource(args.recipe);
  for (const w of source.warnings) r.warn(w);
  if (source.kind === 'yaml') await mergeYaml(source, args, common, r);
  else await mergeProject(source, args, common, r);
}
