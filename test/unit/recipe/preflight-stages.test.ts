/** The pre-flight of a chain, with the engine's preflight stood in for: which model stands for an earlier stage's output. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import type { Preflight, RunOptions } from '../../../electron/engine/run/types.js';
import { preflightStages } from '../../../electron/engine/stages/preflight-stages.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

let DIR: string;
beforeAll(async () => {
  DIR = await makeTempDir('preflight-stages');
  // Model references resolve to existing folders (their contents are not read: the engine's preflight is stood in for).
  for (const m of ['base', 'a', 'b']) await mkdir(join(DIR, m));
});
afterAll(removeTempDirs);

async function standInsFor(text: string): Promise<Record<string, string>> {
  const stages = parseMergekitYaml(text, join(DIR, 'chain.yaml')).recipes;
  const seen: Record<string, string>[] = [];
  const preflight = async (o: RunOptions): Promise<Preflight> => {
    seen.push({ ...o.modelPaths });
    return { tensors: 1, bytesToRead: 0, bytesToWrite: 0, memoryBudget: 1, freeDisk: 1e12, fitsOnDisk: true, warnings: [], tensorList: [] };
  };
  await preflightStages({ stages, file: join(DIR, 'chain.yaml'), preflight, recipeDir: DIR, out: join(DIR, 'final') });
  // The final merge's pre-flight: the model paths it was given.
  return seen[seen.length - 1];
}

describe("an earlier stage's output in the pre-flight", () => {
  it('is stood in for by its merged base (TIES)', async () => {
    const paths = await standInsFor('name: s1\nmerge_method: ties\nbase_model: base\nmodels:\n  - model: a\n    parameters: {weight: 1, density: 0.5}\n---\nmerge_method: linear\nmodels:\n  - model: s1\n    parameters: {weight: 1}\n');
    expect(paths.s1).toBe(join(DIR, 'base'));
  });

  it("by its first model when its method merges no base: a linear stage's base_model gives config and tokenizer only, not its tensors", async () => {
    const paths = await standInsFor('name: s1\nmerge_method: linear\nbase_model: base\nmodels:\n  - model: a\n    parameters: {weight: 1}\n  - model: b\n    parameters: {weight: 1}\n---\nmerge_method: linear\nmodels:\n  - model: s1\n    parameters: {weight: 1}\n');
    expect(paths.s1).toBe(join(DIR, 'a'));
  });
});
