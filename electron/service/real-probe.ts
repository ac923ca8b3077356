/** The probe engine behind the ProbePort: one matrix-product backend and one result cache per service. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInputs } from '../engine/run/load-inputs.js';
import {
  bestMatmul,
  checkWrittenModel,
  interpolationBarrier,
  ProbeCache,
  readProbeText,
  recipeSweep,
  sliderBarrier,
  WRITTEN_TOLERANCE,
  type MatmulBackend,
} from '../engine/probe/index.js';
import type { ProbePort } from './probe-port.js';

export function realProbe(): ProbePort {
  let matmul: Promise<MatmulBackend> | null = null;
  let cache: ProbeCache | null = null;
  return {
    sliderBarrier: (input, axis, opts) => sliderBarrier(input, axis, opts),
    interpolationBarrier: (a, b, texts, opts) => interpolationBarrier(a, b, texts, opts),
    recipeSweep: (input, axes, opts) => recipeSweep(input, axes, opts),
    checkWrittenModel: (out, texts, preview, opts) => checkWrittenModel(out, texts, preview, opts),
    readProbeText,
    async openInputs(recipe, recipeDir, signal) {
      let work: string | null = null;
      const workDir = async () => (work ??= await mkdtemp(join(tmpdir(), 'crucible-probe-lora-')));
      const dispose = async () => {
        if (work) await rm(work, { recursive: true, force: true });
      };
      try {
        return { checkpoints: (await loadInputs(recipe, recipeDir, undefined, undefined, { workDir, signal })).checkpoints, dispose };
      } catch (e) {
        await dispose();
        throw e;
      }
    },
    matmul() {
      matmul ??= bestMatmul().then((b) => b.matmul);
      return matmul;
    },
    cache(configDir) {
      // Kept on disk too, so a preview already computed survives a restart.
      cache ??= new ProbeCache(256, join(configDir, 'probe-cache'));
      return cache;
    },
    async close() {
      if (!matmul) return;
      const m = await matmul.catch(() => null);
      matmul = null;
      await m?.close?.();
    },
    writtenTolerance: WRITTEN_TOLERANCE,
  };
}
