/** The stage runner, with the engine's runMerge stood in for: folders, model paths, cancellation, cleanup. */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import type { RunOptions, RunResult } from '../../../electron/engine/run/types.js';
import { runStages, stageFolderName, type StageStart } from '../../../electron/engine/stages/run-stages.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('run-stages');
});
afterAll(removeTempDirs);

const TEXT = 'name: org/soup\nmerge_method: linear\nmodels: [m1, m2]\n---\nmerge_method: linear\nmodels: [org/soup, m3]\n';

function recorder() {
  const calls: { out: string; modelPaths: Readonly<Record<string, string>> | undefined; models: string[]; folderExists: boolean }[] = [];
  const run = async (o: RunOptions): Promise<RunResult> => {
    calls.push({ out: o.out, modelPaths: o.modelPaths, models: (o.recipe.models ?? []).map((m) => m.model), folderExists: existsSync(dirname(o.out)) });
    return { out: o.out, tensors: 1, bytes: 4, seconds: 0, warnings: [] };
  };
  return { calls, run };
}

describe('running the stages of a recipe', () => {
  it("gives each stage the outputs of the stages it uses, under their names; the temporary folder goes when done", async () => {
    const { calls, run } = recorder();
    const events: StageStart[] = [];
    const parent = join(dir, 'a');
    await mkdir(parent);
    const out = join(parent, 'final');
    await runStages({ stages: parseMergekitYaml(TEXT, 'r.yaml').recipes, file: 'r.yaml', recipeDir: dir, out, run, onStage: (e) => events.push(e) });
    expect(calls).toHaveLength(2);
    expect(calls[0].out).toMatch(/\/\.crucible-tmp-stages-final-\d+-[0-9a-f]{8}\/org_soup$/);
    expect(calls[0].modelPaths).toEqual({});
    expect(calls[0].folderExists).toBe(true);
    expect(calls[1]).toMatchObject({ out, modelPaths: { 'org/soup': calls[0].out }, models: ['org/soup', 'm3'] });
    expect(events.map((e) => [e.index, e.count, e.name])).toEqual([
      [1, 2, 'org/soup'],
      [2, 2, null],
    ]);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('keeps stage outputs in the intermediate folder when one is given, and runs a one-stage recipe as is', async () => {
    const { calls, run } = recorder();
    const keep = join(dir, 'keep');
    await runStages({ stages: parseMergekitYaml(TEXT, 'r.yaml').recipes, file: 'r.yaml', recipeDir: dir, out: join(dir, 'final'), intermediateDir: keep, run });
    expect(calls[0].out).toBe(join(keep, 'org_soup'));
    expect(existsSync(keep)).toBe(true);

    const single = recorder();
    const events: StageStart[] = [];
    await runStages({ stages: parseMergekitYaml('merge_method: linear\nmodels: [m1, m2]\n', 'r.yaml').recipes, file: 'r.yaml', recipeDir: dir, out: join(dir, 'one'), run: single.run, onStage: (e) => events.push(e) });
    expect(single.calls.map((c) => [c.out, c.modelPaths])).toEqual([[join(dir, 'one'), undefined]]);
    expect(events).toEqual([]);
  });

  it('stops before the next stage once cancelled, and removes the temporary folder after a failure', async () => {
    const parent = join(dir, 'c');
    await mkdir(parent);
    const controller = new AbortController();
    let runs = 0;
    const cancelling = async (o: RunOptions): Promise<RunResult> => {
      runs++;
      controller.abort();
      return { out: o.out, tensors: 1, bytes: 4, seconds: 0, warnings: [] };
    };
    const stages = parseMergekitYaml(TEXT, 'r.yaml').recipes;
    await expect(runStages({ stages, file: 'r.yaml', recipeDir: dir, out: join(parent, 'final'), run: cancelling, signal: controller.signal })).rejects.toThrow('cancelled');
    expect(runs).toBe(1);
    const failing = async (): Promise<RunResult> => {
      throw new Error('disk full');
    };
    await expect(runStages({ stages, file: 'r.yaml', recipeDir: dir, out: join(parent, 'final'), run: failing })).rejects.toThrow('disk full');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('names stage folders safely', () => {
    expect(stageFolderName('org/model')).toBe('org_model');
    expect(stageFolderName('..')).toBe('__');
    expect(stageFolderName('C:\\x')).toBe('C__x');
    expect(stageFolderName('4kmerge-v2')).toBe('4kmerge-v2');
  });
});
