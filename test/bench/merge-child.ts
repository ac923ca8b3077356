/**
 * Runs one merge in its own process for the benchmark and prints one JSON line with its wall time
 * CPU time and the process's peak RSS (worker threads included: they share the process).
 * usage: node dist/test/bench/merge-child.js RECIPE OUT MEMORY_BUDGET_BYTES
 */
import { loadRecipeFile } from '../../electron/cli/load-recipe.js';
import { runMerge } from '../../electron/engine/run/run-merge.js';

const [recipePath, out, budget, backend] = process.argv.slice(2);
const loaded = await loadRecipeFile(recipePath);
const started = performance.now();
const result = await runMerge({
  recipe: loaded.recipe,
  recipeDir: loaded.recipeDir,
  out,
  force: true,
  memoryBudget: Number(budget),
  backend: (backend as 'auto' | 'wasm' | 'ts') ?? 'auto',
});
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
// CPU time of the whole process (worker threads included): on a shared machine it varies far less than wall time.
const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
process.stdout.write(JSON.stringify({ seconds, cpuSeconds, bytes: result.bytes, maxRssBytes: usage.maxRSS * 1024 }) + '\n');
