/**
 * `crucible verify`: re-run an output's recorded recipe (same seed, inputs found again by header
 * hash) into a temporary folder beside it, removed afterwards, and compare every tensor's bytes.
 * The output of a chain re-runs every stage it recorded.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { TEMP_PREFIX } from '../run/output-folder.js';
import { runMerge } from '../run/run-merge.js';
import type { RunEvent } from '../run/types.js';
import { compareTensors, type TensorComparison } from './compare-tensors.js';
import { allRecordedInputs, readProvenance, type Provenance } from './read-provenance.js';
import { runStages } from '../stages/run-stages.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { resolveInputs, type ResolvedInput } from './resolve-inputs.js';
import { searchRoots } from './extract-graph.js';

export interface VerifyOptions {
  output: string;
  modelsRoot?: string;
  threads?: number;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
}

export interface VerifyResult extends TensorComparison {
  identical: boolean;
  inputs: ResolvedInput[];
}

/** The recorded chain as recipes, each with the seed it ran with. */
function recordedStages(prov: Provenance): MergeRecipe[] {
  const final = prov.seed === undefined ? prov.recipe : { ...prov.recipe, seed: prov.seed };
  return [...prov.stages.map((s) => ({ ...s.recipe, name: s.name, seed: s.seed })), final];
}

export async function verifyOutput(o: VerifyOptions): Promise<VerifyResult> {
  const prov = await readProvenance(resolve(o.output));
  const out = prov.checkpoint.path;
  const inputs = await resolveInputs(allRecordedInputs(prov), searchRoots(out, o.modelsRoot));
  const parent = dirname(out);
  const temp = join(parent, `${TEMP_PREFIX}verify-${basename(out)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const modelPaths = Object.fromEntries(inputs.map((i) => [i.model, i.path]));
  try {
    if (prov.stages.length === 0) {
      await runMerge({ recipe: prov.recipe, recipeDir: parent, out: temp, seed: prov.seed, modelPaths, threads: o.threads, signal: o.signal, onEvent: o.onEvent });
    } else {
      await runStages({ stages: recordedStages(prov), file: out, recipeDir: parent, out: temp, modelPaths, threads: o.threads, signal: o.signal, onEvent: o.onEvent, run: runMerge });
    }
    const cmp = await compareTensors(out, temp);
    return { ...cmp, identical: cmp.mismatches.length === 0, inputs };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
