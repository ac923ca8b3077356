/** `crucible merge RECIPE --out DIR ...` */
import { parseSize } from '../../engine/io/size.js';
import { runMerge } from '../../engine/run/run-merge.js';
import { UsageError } from '../exit-codes.js';
import { loadRecipeFile } from '../load-recipe.js';
import { formatBytes, type Reporter } from '../output.js';

export interface MergeArgs {
  recipe: string;
  out?: string;
  modelsRoot?: string;
  seed?: string;
  threads?: string;
  memoryBudget?: string;
  shardSize?: string;
  force?: boolean;
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

export async function mergeCommand(args: MergeArgs, r: Reporter, signal: AbortSignal): Promise<void> {
  if (!args.out) throw new UsageError('crucible merge needs --out DIR');
  const backend = args.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'wasm' && backend !== 'ts') throw new UsageError(`--backend must be auto, wasm or ts (got '${backend}')`);
  const loaded = await loadRecipeFile(args.recipe);
  for (const w of loaded.warnings) r.warn(w);
  let lastLine = 0;
  const result = await runMerge({
    recipe: loaded.recipe,
    recipeDir: loaded.recipeDir,
    modelsRoot: args.modelsRoot,
    out: args.out,
    force: args.force ?? false,
    seed: intArg('seed', args.seed, 0, 0xffffffff),
    threads: intArg('threads', args.threads, 1, 1024),
    memoryBudget: sizeArg('memory-budget', args.memoryBudget),
    shardSize: sizeArg('shard-size', args.shardSize),
    backend,
    signal,
    provenance: { recipeYaml: loaded.yamlText },
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
  });
  if (!r.json && process.stderr.isTTY) process.stderr.write('\n');
  r.event({ type: 'done', out: result.out, tensors: result.tensors, bytes: result.bytes, seconds: result.seconds });
  r.info(`wrote ${result.out}: ${result.tensors} tensors, ${formatBytes(result.bytes)} in ${result.seconds.toFixed(2)} s`);
}
