/**
 * Fisher merging as a merge job: the recipe's models with their Fisher files (paired in the graph)
 * through the engine's fisherMerge, reported with the run events a merge gives (tensor, progress),
 * so the run panel and its layer grid show it like any merge. The recipe pipeline cannot name
 * Fisher inputs, so this is the path the app takes for method 'fisher'.
 */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { fisherMerge } from '../../engine/fisher/fisher-merge.js';
import { openFisherFile } from '../../engine/fisher/fisher-file.js';
import { openCheckpoint } from '../../engine/io/checkpoint.js';
import { DTYPE_SIZE, isDtype, isFloatDtype, parseRecipeDtype, type FloatDtype } from '../../engine/io/dtype.js';
import { layerCountFromNames, layerIndexOf } from '../../engine/io/layers.js';
import { InputError, type CheckpointInfo } from '../../engine/io/types.js';
import { tensorGroup } from '../../engine/run/tensor-group.js';
import type { Preflight, RunOptions, RunResult } from '../../engine/run/types.js';
import { resolveUserPath } from '../resolve-path.js';

interface FisherInputs {
  models: { model: string; fisher: string; weight: number }[];
  dtype: FloatDtype | undefined;
}

function inputsOf(recipe: MergeRecipe, recipeDir: string, files: readonly string[]): FisherInputs {
  const models = recipe.models ?? [];
  if (recipe.mergeMethod !== 'fisher') throw new InputError(`Fisher files were given for a ${recipe.mergeMethod} merge`);
  if (models.length !== files.length) throw new InputError(`${models.length} models and ${files.length} Fisher files: give one Fisher file per model`);
  const dtype = recipe.outDtype ? parseRecipeDtype(recipe.outDtype) : undefined;
  if (recipe.outDtype && !dtype) throw new InputError(`output dtype ${recipe.outDtype} is not a float dtype`);
  return {
    dtype,
    models: models.map((m, i) => {
      const w = m.parameters?.weight ?? 1;
      if (typeof w !== 'number') throw new InputError(`${m.model}: Fisher merging in the app takes one weight per model, not per-layer values`);
      if (m.lora) throw new InputError(`${m.model}: Fisher merging reads plain models, not base + LoRA adapter`);
      return { model: resolveUserPath(m.model, recipeDir), fisher: resolveUserPath(files[i], recipeDir), weight: w };
    }),
  };
}

async function open(inputs: FisherInputs): Promise<{ models: CheckpointInfo[]; fishers: CheckpointInfo[] }> {
  const models = await Promise.all(inputs.models.map((m) => openCheckpoint(m.model)));
  const fishers = await Promise.all(inputs.models.map((m, i) => openFisherFile(m.fisher, models[i])));
  return { models, fishers };
}

const size = (ck: CheckpointInfo) => ck.files.reduce((s, f) => s + f.size, 0);

export async function fisherPreflight(opts: RunOptions, files: readonly string[]): Promise<Preflight> {
  const inputs = inputsOf(opts.recipe, opts.recipeDir, files);
  const { models, fishers } = await open(inputs);
  const first = models[0];
  const tensors = [...first.tensors.values()];
  const dtypeOf = (d: string) => (isFloatDtype(d) ? (inputs.dtype ?? d) : d);
  const bytesToWrite = tensors.reduce((s, t) => s + t.numel * (isDtype(dtypeOf(t.dtype)) ? DTYPE_SIZE[dtypeOf(t.dtype) as FloatDtype] : 4), 0);
  const largest = Math.max(0, ...tensors.map((t) => t.numel));
  return {
    tensors: tensors.length,
    layerCount: layerCountFromNames(first.tensors.keys()),
    bytesToRead: [...models, ...fishers].reduce((s, c) => s + size(c), 0),
    bytesToWrite,
    // One tensor at a time: the merged tensor and a chunk per input and Fisher.
    memoryBudget: largest * 4 + 2 * models.length * Math.min(largest, 1 << 20) * 4,
    freeDisk: Number.POSITIVE_INFINITY,
    fitsOnDisk: true,
    warnings: ['Fisher merging: every float tensor is merged by its Fisher; no diagnostics are measured.'],
    tensorList: tensors.map((t) => ({ name: t.name, layer: layerIndexOf(t.name), group: tensorGroup(t.name), shape: [...t.shape], dtype: dtypeOf(t.dtype) })),
  };
}

export async function fisherRun(opts: RunOptions, files: readonly string[]): Promise<RunResult> {
  const inputs = inputsOf(opts.recipe, opts.recipeDir, files);
  const started = performance.now();
  const first = await openCheckpoint(inputs.models[0].model);
  const outBytes = (t: { dtype: string; numel: number; byteLength: number }) => (isFloatDtype(t.dtype) && inputs.dtype ? t.numel * DTYPE_SIZE[inputs.dtype] : t.byteLength);
  const sizes = new Map([...first.tensors.values()].map((t) => [t.name, outBytes(t)]));
  const bytesTotal = [...sizes.values()].reduce((s, b) => s + b, 0);
  let bytesDone = 0;
  const res = await fisherMerge(inputs.models, opts.out, {
    dtype: inputs.dtype,
    shardSize: opts.shardSize,
    force: opts.force,
    signal: opts.signal,
    onProgress: (e) => {
      bytesDone += sizes.get(e.name) ?? 0;
      const elapsed = (performance.now() - started) / 1000;
      const rate = elapsed > 0 ? bytesDone / elapsed : 0;
      opts.onEvent?.({ type: 'tensor', name: e.name, layer: layerIndexOf(e.name), group: tensorGroup(e.name) });
      opts.onEvent?.({
        type: 'progress',
        tensorsDone: e.done,
        tensorsTotal: e.total,
        bytesDone,
        bytesTotal,
        bytesPerSecond: rate,
        elapsedSeconds: elapsed,
        etaSeconds: rate > 0 ? (bytesTotal - bytesDone) / rate : null,
      });
    },
  });
  return {
    out: res.out,
    tensors: res.tensors,
    bytes: bytesTotal,
    seconds: (performance.now() - started) / 1000,
    warnings: [],
    layerCount: layerCountFromNames(first.tensors.keys()),
  };
}
