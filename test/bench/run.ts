/** `npm run bench`: prints the figures the issues ask for (engine; kernels; UI and probes as they land). */
import { runEngineBench } from './engine.js';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

if (want('kernels')) {
  try {
    const file = './kernels.js';
    const mod = (await import(file)) as { runKernelBench?: () => unknown | Promise<unknown> };
    if (mod.runKernelBench) await mod.runKernelBench();
  } catch (err) {
    console.log(`kernel micro-benchmark unavailable: ${(err as Error).message}`);
  }
}
if (want('engine')) runEngineBench();
for (const [name, file, fn] of [
  ['ui', './ui.js', 'runUiBench'],
  ['probes', './probes.js', 'runProbeBench'],
  ['align', './align.js', 'runAlignBench'],
] as const) {
  if (!want(name)) continue;
  try {
    const mod = (await import(file)) as Record<string, () => unknown | Promise<unknown>>;
    if (typeof mod[fn] === 'function') await mod[fn]();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
}
