/**
 * `crucible verify`: re-run an output's recorded recipe (same seed, inputs found again by header
 * hash) into a temporary folder beside it, removed afterwards, and compare every tensor's bytes.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { TEMP_PREFIX } from '../run/output-folder.js';
import { runMerge } from '../run/run-merge.js';
import type { RunEvent } from '../run/types.js';
import { compareTensors, type TensorComparison } from './compare-tensors.js';
import { readProvenance } from './read-provenance.js';
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

export async function verifyOutput(o: VerifyOptions): Promise<VerifyResult> {
  const prov = await readProvenance(resolve(o.output));
  const out = prov.checkpoint.path;
  const inputs = await resolveInputs(prov.inputs, searchRoots(out, o.modelsRoot));
  const parent = dirname(out);
  const temp = join(parent, `${TEMP_PREFIX}verify-${basename(out)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await runMerge({
      recipe: prov.recipe,
      recipeDir: parent,
      out: temp,
      seed: prov.seed,
      modelPaths: Object.fromEntries(inputs.map((i) => [i.model, i.path])),
      threads: o.threads,
      signal: o.signal,
      onEvent: o.onEvent,
    });
    const cmp = await compareTensors(out, temp);
    return { ...cmp, identical: cmp.mismatches.length === 0, inputs };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
