/**
 * `fisherMerge`: models and their Fisher files → one merged HF folder (`crucible fisher merge`).
 * A recipe with each model's `fisher` file (spec §4), run by runMerge like any merge: planned and
 * checked before any tensor is read, streamed through the worker pool under the memory budget,
 * staged and renamed, with provenance. Each tensor keeps the first model's dtype unless `dtype` is given.
 */
import { resolve } from 'node:path';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import type { FloatDtype } from '../io/dtype.js';
import { InputError } from '../io/types.js';
import { runMerge } from '../run/run-merge.js';

export interface FisherMergeInput {
  model: string;
  /** The model's Fisher file. */
  fisher: string;
  /** Default 1. */
  weight?: number;
}

export interface FisherMergeProgress {
  type: 'tensor';
  name: string;
  done: number;
  total: number;
}

export interface FisherMergeOptions {
  force?: boolean;
  dtype?: FloatDtype;
  shardSize?: number;
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (e: FisherMergeProgress) => void;
}

export interface FisherMergeResult {
  out: string;
  tensors: number;
}

export function fisherRecipe(inputs: readonly FisherMergeInput[], dtype?: FloatDtype): MergeRecipe {
  return {
    mergeMethod: 'fisher',
    models: inputs.map((i) => ({ model: resolve(i.model), fisher: resolve(i.fisher), parameters: { weight: i.weight ?? 1 } })),
    ...(dtype ? { outDtype: dtype.toLowerCase() } : {}),
  };
}

export async function fisherMerge(inputs: readonly FisherMergeInput[], out: string, opts: FisherMergeOptions = {}): Promise<FisherMergeResult> {
  if (inputs.length === 0) throw new InputError('Fisher merging needs at least one model');
  let done = 0;
  let total = 0;
  const res = await runMerge({
    recipe: fisherRecipe(inputs, opts.dtype),
    recipeDir: process.cwd(),
    out,
    force: opts.force ?? false,
    shardSize: opts.shardSize,
    threads: opts.threads,
    signal: opts.signal,
    onEvent: (e) => {
      if (e.type === 'progress') total = e.tensorsTotal;
      if (e.type === 'tensor') opts.onProgress?.({ type: 'tensor', name: e.name, done: ++done, total });
    },
  });
  return { out: res.out, tensors: res.tensors };
}
