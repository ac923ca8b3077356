/**
 * The engine benchmark: a generated bf16 model of over 1 GB (a 128k × 4096 embedding and layers of
 * several tensors), merged by each method in its own process under a 2 GB memory budget, against
 * the machine's streaming bound measured in the same run. The methods run in RUNS rounds (default
 * 3, CRUCIBLE_BENCH_RUNS), each method once per round, and the medians are reported, with each
 * ratio to linear also taken within rounds: on these virtual machines a run's time varies
 * by ±30% with the state of memory (fresh pages for the output's page cache are slow to touch the
 * first time, and freed memory returns to the host within about a second). Models a and b are
 * unrelated random models of the base's shape; fa and fb are fine-tunes of the base (a few bf16
 * ulps apart from it), on which TIES and DARE-TIES also run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_SHAPE, generateBenchModel, generateFineTune } from './generate-model.js';
import { readSeconds, writeSeconds } from './streaming-bound.js';

const GB = 1e9;
const BUDGET = 2 * GB;
const RUNS = Math.max(1, Number(process.env.CRUCIBLE_BENCH_RUNS ?? 3) || 3);

interface MethodCase {
  method: string;
  models: string[];
  recipe: (dir: string) => string;
}

/** A TIES-family recipe over base and two models at weight 0.5 and density 0.5 (plus `extra` global lines). */
function sparsifiedPair(method: string, a: string, b: string, extra = ''): string {
  const model = (m: string) => `  - model: ${m}\n    parameters: {weight: 0.5, density: 0.5}\n`;
  return `merge_method: ${method}\nbase_model: base\nmodels:\n${model(a)}${model(b)}${extra}dtype: bfloat16\n`;
}

const CASES: MethodCase[] = [
  {
    method: 'linear',
    models: ['a', 'b'],
    recipe: () => `merge_method: linear\nmodels:\n  - model: a\n    parameters: {weight: 0.5}\n  - model: b\n    parameters: {weight: 0.5}\ndtype: bfloat16\n`,
  },
  {
    // Not a target: the same three inputs that ties and dare_ties read (base, a, b), blended in one
    // pass, so that their time can also be read against a linear merge of as many input bytes.
    method: 'linear/three inputs',
    models: ['base', 'a', 'b'],
    recipe: () =>
      `merge_method: linear\nmodels:\n  - model: base\n    parameters: {weight: 0.34}\n  - model: a\n    parameters: {weight: 0.33}\n  - model: b\n    parameters: {weight: 0.33}\ndtype: bfloat16\n`,
  },
  {
    method: 'task_arithmetic',
    models: ['base', 'a', 'b'],
    recipe: () =>
      `merge_method: task_arithmetic\nbase_model: base\nmodels:\n  - model: a\n    parameters: {weight: 0.5}\n  - model: b\n    parameters: {weight: 0.5}\ndtype: bfloat16\n`,
  },
  { method: 'ties', models: ['base', 'a', 'b'], recipe: () => sparsifiedPair('ties', 'a', 'b') },
  { method: 'dare_ties', models: ['base', 'a', 'b'], recipe: () => sparsifiedPair('dare_ties', 'a', 'b') },
  {
    // The same merge as Crucible's DARE-TIES node makes by default: survivors ×1/d, no whole-tensor
    // statistics. (Recipes imported from mergekit YAML use the l1 rescale above, which needs the
    // tensor's l1 norms before any output: a second sweep.)
    method: 'dare_ties/inverse',
    models: ['base', 'a', 'b'],
    recipe: () => sparsifiedPair('dare_ties', 'a', 'b', 'parameters:\n  rescale_norm: inverse\n'),
  },
  // The same two merges of fine-tunes of the base (generate-model.ts, generateFineTune): task
  // vectors of few distinct values, as real bf16 fine-tunes have.
  { method: 'ties/fine-tunes', models: ['base', 'fa', 'fb'], recipe: () => sparsifiedPair('ties', 'fa', 'fb') },
  { method: 'dare_ties/fine-tunes', models: ['base', 'fa', 'fb'], recipe: () => sparsifiedPair('dare_ties', 'fa', 'fb') },
  {
    method: 'slerp',
    models: ['base', 'a'],
    recipe: () => `merge_method: slerp\nbase_model: base\nmodels:\n  - model: base\n  - model: a\nparameters:\n  t: 0.3\ndtype: bfloat16\n`,
  },
];

export interface EngineBenchRow {
  method: string;
  seconds: number;
  /** CPU seconds of the merge process (all threads): steadier than wall time on a shared machine. */
  cpuSeconds: number;
  throughputGBs: number;
  boundGBs: number;
  ofBound: number;
  peakRssGB: number;
}

interface Run {
  seconds: number;
  cpuSeconds: number;
  maxRssBytes: number;
  bound: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function fmt(n: number, d = 2): string {
  return n.toFixed(d);
}

export function runEngineBench(opts: { dir?: string; methods?: string[]; backend?: string } = {}): EngineBenchRow[] {
  const dir = opts.dir ?? process.env.CRUCIBLE_BENCH_DIR ?? join(tmpdir(), 'crucible-bench');
  mkdirSync(dir, { recursive: true });
  const sizes: Record<string, number> = {};
  for (const [i, name] of ['base', 'a', 'b'].entries()) {
    const file = join(dir, name, 'model.safetensors');
    if (!existsSync(file)) {
      const t0 = performance.now();
      generateBenchModel(join(dir, name), BENCH_SHAPE, i + 1);
      console.log(`generated ${name}: ${fmt(statSync(file).size / GB)} GB in ${fmt((performance.now() - t0) / 1000, 1)} s`);
    }
    sizes[name] = statSync(file).size;
  }
  for (const [i, name] of ['fa', 'fb'].entries()) {
    const file = join(dir, name, 'model.safetensors');
    if (!existsSync(file)) {
      const t0 = performance.now();
      generateFineTune(join(dir, 'base'), join(dir, name), i + 7);
      console.log(`generated ${name} (a fine-tune of base): ${fmt(statSync(file).size / GB)} GB in ${fmt((performance.now() - t0) / 1000, 1)} s`);
    }
    sizes[name] = statSync(file).size;
  }
  const outBytes = sizes.a;
  const child = fileURLToPath(new URL('./merge-child.js', import.meta.url));
  const cases = CASES.filter((c) => !opts.methods || opts.methods.includes(c.method)).map((c) => {
    const inputs = c.models.filter((m, i, all) => all.indexOf(m) === i);
    const file = c.method.replace(/[^a-z_]/g, '-');
    const recipe = join(dir, `${file}.yaml`);
    writeFileSync(recipe, c.recipe(dir));
    return { c, inputs, inBytes: inputs.reduce((s, m) => s + sizes[m], 0), recipe, out: join(dir, `out-${file}`), runs: [] as Run[] };
  });
  // Rounds: every method once per round, so that each meets the same drifting state of the
  // machine's memory, and ratios can be taken within a round (pairedRatio).
  for (let round = 0; round < RUNS; round++) {
    for (const k of cases) {
      // The bound, measured now (page cache warm as it will be for the merge).
      const r = readSeconds(k.inputs.map((m) => join(dir, m, 'model.safetensors')), k.inputs.map((m) => sizes[m]));
      const w = writeSeconds(join(dir, 'bound.tmp'), outBytes);
      const line = execFileSync(process.execPath, [child, k.recipe, k.out, String(BUDGET), opts.backend ?? 'auto'], { encoding: 'utf8' });
      const res = JSON.parse(line.trim().split('\n').pop()!) as { seconds: number; cpuSeconds: number; maxRssBytes: number };
      rmSync(k.out, { recursive: true, force: true });
      k.runs.push({ ...res, bound: (k.inBytes + outBytes) / (r + w) });
    }
  }
  const rows: EngineBenchRow[] = [];
  for (const k of cases) {
    const seconds = median(k.runs.map((x) => x.seconds));
    const bound = median(k.runs.map((x) => x.bound));
    const throughput = (k.inBytes + outBytes) / seconds;
    rows.push({
      method: k.c.method,
      seconds,
      cpuSeconds: median(k.runs.map((x) => x.cpuSeconds)),
      throughputGBs: throughput / GB,
      boundGBs: bound / GB,
      ofBound: throughput / bound,
      peakRssGB: Math.max(...k.runs.map((x) => x.maxRssBytes)) / GB,
    });
  }
  /** Median over rounds of method's time / the reference's (linear's) time in the same round. */
  const pairedRatio = (method: string, reference = 'linear'): number | undefined => {
    const lin = cases.find((k) => k.c.method === reference);
    const m = cases.find((k) => k.c.method === method);
    return lin && m ? median(m.runs.map((x, i) => x.seconds / lin.runs[i].seconds)) : undefined;
  };
  console.log('\nEngine: merge of a generated bf16 model (' + fmt(sizes.a / GB) + ` GB per input), memory budget 2 GB, medians of ${RUNS} rounds (each method once per round; peak RSS: the largest)`);
  console.log(`load average at the end: ${loadavg().map((l) => fmt(l)).join(' ')} (${availableParallelism()} cores)`);
  console.log('method                 seconds  CPU s  CPU/wall  GB/s (in+out)  bound GB/s  of bound  peak RSS GB');
  for (const row of rows) {
    console.log(
      `${row.method.padEnd(21)} ${fmt(row.seconds).padStart(8)}  ${fmt(row.cpuSeconds, 1).padStart(5)}  ${fmt(row.cpuSeconds / row.seconds).padStart(8)}  ${fmt(row.throughputGBs).padStart(13)}  ${fmt(row.boundGBs).padStart(10)}  ${(fmt(row.ofBound * 100, 0) + '%').padStart(8)}  ${fmt(row.peakRssGB).padStart(11)}`,
    );
  }
  const lin = rows.find((r) => r.method === 'linear');
  if (lin) {
    for (const m of ['ties', 'dare_ties', 'dare_ties/inverse', 'ties/fine-tunes', 'dare_ties/fine-tunes']) {
      const row = rows.find((r) => r.method === m);
      if (row) console.log(`${m} / linear time: ${fmt(row.seconds / lin.seconds)}× (target ≤ 1.5×); within a round (median): ${fmt(pairedRatio(m)!)}×; CPU time ${fmt(row.cpuSeconds / lin.cpuSeconds)}×`);
    }
    const three = rows.find((r) => r.method === 'linear/three inputs');
    if (three) {
      for (const m of ['ties', 'dare_ties']) {
        const row = rows.find((r) => r.method === m);
        if (row) console.log(`  (for reference, not the target) ${m} / linear of the same three inputs: ${fmt(row.seconds / three.seconds)}×; within a round: ${fmt(pairedRatio(m, 'linear/three inputs')!)}×`);
      }
    }
    for (const m of ['linear', 'task_arithmetic']) {
      const row = rows.find((r) => r.method === m);
      if (row) console.log(`${m}: ${fmt(row.ofBound * 100, 0)}% of the streaming bound (target ≥ 70%)`);
    }
  }
  console.log(`peak RSS under the 2 GB budget: ${rows.every((r) => r.peakRssGB < 2) ? 'yes' : 'NO'}`);
  return rows;
}
