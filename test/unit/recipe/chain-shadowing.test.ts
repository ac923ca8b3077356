/**
 * Stage names of a mergekit-multi file take precedence over folders of the same name, with a
 * warning: on import into a graph (the stage's merge node feeds the later merge) and when run.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { recipesAsProject } from '../../../electron/engine/recipe/recipes-as-project.js';
import type { RunOptions, RunResult } from '../../../electron/engine/run/types.js';
import { runStages } from '../../../electron/engine/stages/run-stages.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('chain-shadowing');
  await mkdir(join(dir, 'soup'));
});
afterAll(removeTempDirs);

const TEXT = 'name: soup\nmerge_method: linear\nmodels: [m1, m2]\n---\nname: spare\nmerge_method: linear\nmodels: [m1, m3]\n---\nmerge_method: linear\nmodels: [soup, m3]\n';

describe('a stage named like a folder beside the recipe', () => {
  it('imports as the stage (an edge from its merge node), with a warning naming the folder; an unused stage is shown and warned about', () => {
    const file = join(dir, 'r.yaml');
    const { project, warnings } = recipesAsProject(parseMergekitYaml(TEXT, file).recipes, file, { name: 'r', outFolder: '/o' });
    expect(warnings).toEqual([
      "stage 'spare' is not used by the final merge: it is shown, but not run",
      `stage 'soup' has the name of the folder ${join(dir, 'soup')}: the stage's output is used, not that folder`,
    ]);
    expect(project.nodes.filter((n) => n.data.kind === 'model').map((n) => n.data.kind === 'model' && n.data.path)).toEqual(['m1', 'm2', 'm3']);
    expect(project.edges.filter((e) => e.target === 'merge-3').map((e) => e.source)).toEqual(['merge-1', 'model-3']);
  });

  it('runs with the stage’s output in its place, warning once', async () => {
    const seen: { models: string[]; paths: Readonly<Record<string, string>> | undefined }[] = [];
    const warnings: string[] = [];
    const run = async (o: RunOptions): Promise<RunResult> => {
      seen.push({ models: (o.recipe.models ?? []).map((m) => m.model), paths: o.modelPaths });
      return { out: o.out, tensors: 1, bytes: 4, seconds: 0, warnings: [] };
    };
    await runStages({
      stages: parseMergekitYaml(TEXT, 'r.yaml').recipes,
      file: 'r.yaml',
      recipeDir: dir,
      out: join(dir, 'out'),
      run,
      readRecord: async () => undefined,
      onEvent: (e) => {
        if (e.type === 'warning') warnings.push(e.message);
      },
    });
    expect(warnings).toEqual([`stage 'soup' has the name of the folder ${join(dir, 'soup')}: the stage's output is used, not that folder`]);
    expect(seen).toHaveLength(2);
    expect(seen[1].paths?.soup).not.toBe(join(dir, 'soup'));
    expect(seen[1].paths?.soup).toMatch(/\.crucible-tmp-stages-out-.*\/soup$/);
  });
});
